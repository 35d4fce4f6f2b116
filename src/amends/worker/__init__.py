"""The worker keeps time: it fires case timers (reminders, breaches, escalations) and sends
queued notifications, in-process under `amends serve` or as `amends worker` processes."""
