"""The one place amends reads its environment: every setting, its default and its help."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused outside dev, see below


class Settings(BaseSettings):
    """amends settings, read from `AMENDS_*` variables or a `.env` file.

    Any setting can also be read from a file named by `AMENDS_<NAME>_FILE`, for secrets.
    """

    model_config = SettingsConfigDict(
        env_prefix="AMENDS_", env_file=".env", extra="ignore", secrets_dir=None
    )

    env: str = Field("dev", description="`dev` or `production`; production refuses the dev secret.")
    data_dir: Path = Field(
        Path("var"), description="Folder for the default SQLite database and rejected rows."
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; empty means `sqlite:///<data_dir>/amends.db`. "
        "PostgreSQL: `postgresql+psycopg://user@host/db`.",
    )
    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET), description="Signs sessions, CSRF tokens and links."
    )
    host: str = Field("127.0.0.1", description="Address `amends serve` listens on.")
    port: int = Field(8000, description="Port `amends serve` listens on.")
    import_batch_size: int = Field(
        5000, ge=1, le=50_000, description="Items written per transaction during an import."
    )
    first_response_hours: float = Field(
        24.0, gt=0, description="Default time to first response for a new case, in hours."
    )
    resolution_hours: float = Field(
        72.0, gt=0, description="Default time to resolution for a new case, in hours."
    )
    webhook_tolerance_seconds: int = Field(
        300, ge=1, description="How old a signed webhook's timestamp may be before it is refused."
    )
    session_max_age_hours: int = Field(12, ge=1, description="How long a web login lasts.")

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Settings:
        if self.env != "dev" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError("AMENDS_SECRET_KEY must be set when AMENDS_ENV is not 'dev'")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'amends.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
