"""Playbooks: the business's own rules for who handles which complaint, by when, with which
remedy, and when a case climbs to someone more senior.

Pure domain code: YAML in (loader, schema), answers out (match, clock, sla, assignment,
escalation, authority). Nothing here reads the database; docs/playbooks.md is the reference.
"""
