"""Triage: what an item is about and how dangerous it is to leave it. Pure: text in, labels out."""
