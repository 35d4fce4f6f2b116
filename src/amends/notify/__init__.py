"""Notifications: who hears about what (preferences), written to an outbox in the same
transaction as the change, then sent by email or signed webhook by the worker."""
