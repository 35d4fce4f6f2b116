"""Framework-free helpers that import nothing else from amends."""
