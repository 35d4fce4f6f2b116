"""The `amends` command line. Thin: every command calls a capability."""
