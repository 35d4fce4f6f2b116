"""amends: self-hosted service recovery."""

__version__ = "0.1.0"
