"""Training the triage models: from the public data sets (the shipped weights) or from a
business's own labelled history (a custom category model)."""
