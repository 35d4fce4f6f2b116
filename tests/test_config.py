"""Settings: read from AMENDS_* variables or files, and explained when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from amends.config import DEV_SECRET, SettingsError, load_settings
from tests.cli.test_commands import amends


def test_a_setting_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-mounted-secret\n")
    monkeypatch.setenv("AMENDS_SECRET_KEY_FILE", str(secret))
    assert load_settings().secret_key.get_secret_value() == "from-a-mounted-secret"


def test_the_variable_itself_wins_over_its_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "port").write_text("9000")
    monkeypatch.setenv("AMENDS_PORT_FILE", str(tmp_path / "port"))
    monkeypatch.setenv("AMENDS_PORT", "9100")
    assert load_settings().port == 9100


def test_a_bad_setting_is_named_by_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_PORT", "eighty")
    with pytest.raises(SettingsError, match=r"^AMENDS_PORT: "):
        load_settings()


def test_production_refuses_the_dev_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_ENV", "production")
    monkeypatch.delenv("AMENDS_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="AMENDS_SECRET_KEY must be set"):
        load_settings()
    monkeypatch.setenv("AMENDS_SECRET_KEY", "a-real-secret-" + DEV_SECRET)
    assert load_settings().env == "production"


def test_the_cli_explains_a_bad_setting_and_exits_2(tmp_path: Path) -> None:
    result = amends("users", "list", db="", tmp_path=tmp_path, env={"AMENDS_PORT": "eighty"})
    assert result.returncode == 2
    assert "AMENDS_PORT" in result.stderr
    assert "Traceback" not in result.stderr
