from __future__ import annotations

import pytest

from amends.config import Settings
from tests.notify.servers import SmtpServer


@pytest.fixture
def mail_settings(settings: Settings, smtp: SmtpServer) -> Settings:
    """The test settings, sending email to the local SMTP server."""
    return settings.model_copy(
        update={
            "smtp_host": smtp.host,
            "smtp_port": smtp.port,
            "smtp_starttls": False,
            "mail_from": "amends@example.com",
            "public_url": "http://amends.example:8000/",
        }
    )
