"""Listen: read feedback from files and webhooks, deduplicate, link customers, open cases."""
