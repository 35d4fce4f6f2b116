"""The REST API (JSON). Thin: every route calls a capability."""
