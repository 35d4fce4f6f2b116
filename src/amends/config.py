"""The one place amends reads its environment: every setting, its default and its help."""

from __future__ import annotations

import os
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused outside dev, see below


ENV_PREFIX = "AMENDS_"
#: Roles in order of authority, as amends.store.tables.Role names them (config imports nothing
#: from amends, so the names are repeated here).
AUTHORITY_ROLES = ("agent", "lead", "manager", "admin")
#: Remedy kinds, as amends.playbooks.schema.RemedyKind names them (repeated for the same reason).
REMEDY_KINDS = (
    "apology",
    "refund",
    "partial_credit",
    "replacement",
    "upgrade",
    "voucher",
    "expedited_reshipment",
    "senior_callback",
)
_AGENT_KINDS = ["apology", "partial_credit", "voucher", "replacement", "expedited_reshipment"]


class _SettingFiles(PydanticBaseSettingsSource):
    """`AMENDS_<NAME>_FILE=/run/secrets/name` reads a setting from a file, as container secrets
    are mounted; a plain `AMENDS_<NAME>` still wins."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        path = os.environ.get(f"{ENV_PREFIX}{field_name.upper()}_FILE")
        if not path:
            return None, field_name, False
        return Path(path).read_text(encoding="utf-8").strip(), field_name, False

    def __call__(self) -> dict[str, Any]:
        values = {}
        for name, info in self.settings_cls.model_fields.items():
            value, _, _ = self.get_field_value(info, name)
            if value is not None:
                values[name] = value
        return values


class Settings(BaseSettings):
    """amends settings, read from `AMENDS_*` variables or a `.env` file.

    Any setting can also be read from a file named by `AMENDS_<NAME>_FILE`, for secrets.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", secrets_dir=None
    )

    env: str = Field("dev", description="`dev` or `production`; production refuses the dev secret.")
    data_dir: Path = Field(Path("var"), description="Folder for the default SQLite database.")
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
    import_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        le=64,
        description="Processes that read (triage) the texts of `amends import` and `amends "
        "triage FILE` ahead of the batch being stored or printed; 1 reads in the command's own "
        "process. Defaults to the number of CPUs.",
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
    category_model: Path | None = Field(
        None,
        description="A category model trained on your own labelled history "
        "(`amends model train --input … --output MODEL`); empty means the built-in taxonomy.",
    )
    playbooks_dir: Path | None = Field(
        None,
        description="Folder of playbook files (docs/playbooks.md); empty means the shipped "
        "e-commerce example set.",
    )
    authority_limits: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "agent": Decimal(25),
            "lead": Decimal(100),
            "manager": Decimal(500),
        },
        description="Compensation each role may grant on its own, as JSON: "
        '`{"agent": 25, "lead": 100, "manager": 500}`. A role left out may grant what the '
        "role below it may.",
    )
    authority_currency: str = Field(
        "USD", pattern=r"^[A-Z]{3}$", description="Currency of the authority limits (ISO 4217)."
    )
    worker: Literal["inprocess", "off"] = Field(
        "inprocess",
        description="`inprocess`: `amends serve` keeps time itself (SLA timers, escalations, "
        "notifications); `off` when `amends worker` processes do it (PostgreSQL).",
    )
    worker_batch: int = Field(
        200, ge=1, le=10_000, description="Timers the worker fires per transaction."
    )
    authority_kinds: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "agent": list(_AGENT_KINDS),
            "lead": [*_AGENT_KINDS, "refund", "upgrade"],
            "manager": [*_AGENT_KINDS, "refund", "upgrade", "senior_callback"],
        },
        description="Kinds of remedy each role may grant on its own, as JSON: "
        '`{"agent": ["apology", "voucher"], "lead": ["refund"]}`. A role may also grant every '
        "kind the roles below it may, so a role left out may grant just those.",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000",
        pattern=r"^https?://[^/\s]+(/\S*)?$",
        description="The address people open amends at, for links in emails.",
    )
    smtp_host: str = Field("", description="SMTP server for email; empty means no email is sent.")
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_username: str = Field("", description="SMTP login; empty means no login.")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS.")
    mail_from: str = Field("amends@localhost", description="The From address of amends' email.")
    reply_from: str = Field(
        "",
        description="The From of replies emailed to customers, e.g. "
        "`Acme Support <support@acme.example>`; empty means AMENDS_MAIL_FROM.",
    )
    business_name: str = Field(
        "", description="The business's name as replies to customers say it; empty: 'the team'."
    )
    llm_url: str = Field(
        "",
        pattern=r"^(https?://[^/\s]+(/\S*)?)?$",
        description="Base URL of an OpenAI-compatible API for reply drafts, e.g. "
        "`http://127.0.0.1:8080/v1`; empty means only the built-in drafts.",
    )
    llm_model: str = Field("", description="The model the API is asked for.")
    llm_api_key: SecretStr = Field(
        SecretStr(""), description="Bearer key for the API; empty means none is sent."
    )
    llm_timeout_seconds: float = Field(
        20.0, gt=0, description="How long to wait for a draft before using the built-in one."
    )
    llm_min_score: int = Field(
        80,
        ge=0,
        le=100,
        description="A model's draft scoring below this on the reply checker is replaced by "
        "the built-in draft.",
    )
    delivery_max_attempts: int = Field(
        6, ge=1, le=50, description="Tries of one notification before it is dead-lettered."
    )
    delivery_backoff_seconds: float = Field(
        60.0, gt=0, description="Wait after the first failed try; doubled after each next one."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, dotenv_settings, _SettingFiles(settings_cls))

    @field_validator("category_model", "playbooks_dir", mode="before")
    @classmethod
    def _empty_means_builtin(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("authority_limits")
    @classmethod
    def _limits_by_role(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        unknown = sorted(set(value) - set(AUTHORITY_ROLES))
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r}: roles are {', '.join(AUTHORITY_ROLES)}")
        given = [value[role] for role in AUTHORITY_ROLES if role in value]
        if any(amount < 0 for amount in given):
            raise ValueError("a limit cannot be negative")
        if given != sorted(given):
            raise ValueError("a role's limit cannot be below the limit of a role under it")
        return value

    @field_validator("authority_kinds")
    @classmethod
    def _kinds_by_role(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(AUTHORITY_ROLES))
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r}: roles are {', '.join(AUTHORITY_ROLES)}")
        for role, kinds in value.items():
            wrong = sorted(set(kinds) - set(REMEDY_KINDS))
            if wrong:
                raise ValueError(
                    f"{role}: unknown remedy kind {wrong[0]!r}: kinds are {', '.join(REMEDY_KINDS)}"
                )
        return value

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


class SettingsError(ValueError):
    """Settings that cannot be used, described by the variables a user sets."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError("\n".join(_describe(p) for p in error.errors())) from None


def _describe(problem: Any) -> str:
    """`AMENDS_PORT: Input should be a valid integer`, not pydantic's `port` and a traceback."""
    if not problem["loc"]:
        return str(problem["msg"])
    return f"{ENV_PREFIX}{str(problem['loc'][0]).upper()}: {problem['msg']}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
