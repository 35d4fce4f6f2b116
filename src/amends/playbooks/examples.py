"""Where the playbook set lives: AMENDS_PLAYBOOKS_DIR, or an example set shipped with amends."""

from __future__ import annotations

from pathlib import Path

from amends.config import Settings

#: One folder per example set: ecommerce, hospitality, airline.
EXAMPLES_DIR = Path(__file__).parent / "examples"
DEFAULT_EXAMPLE = "ecommerce"


def configured_folder(settings: Settings) -> Path:
    """The folder of the playbook set amends uses."""
    return settings.playbooks_dir or EXAMPLES_DIR / DEFAULT_EXAMPLE
