"""Tables, engine and migrations. Capabilities own their tables; only store knows SQL types."""
