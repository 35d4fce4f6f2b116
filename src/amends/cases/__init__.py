"""Track the case: the recovery state machine, its timeline, and opening cases for items."""
