"""Email through an SMTP server: notifications to staff (the summary, a link and the data), and
replies to customers, threaded under the message they answer (RFC 5322 section 3.6.4)."""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from amends.config import Settings
from amends.notify.message import DeliveryFailed, NotConfigured, Outgoing, scrub

TIMEOUT_SECONDS = 10.0
SUBJECT_PREFIX = "[amends] "


def send(outgoing: Outgoing, settings: Settings) -> None:
    _send(compose(outgoing, settings), settings)


def send_reply(outgoing: Outgoing, settings: Settings) -> None:
    _send(compose_reply(outgoing, settings), settings)


def _send(message: EmailMessage, settings: Settings) -> None:
    if not settings.smtp_host:
        raise NotConfigured("email is off: AMENDS_SMTP_HOST is empty")
    password = settings.smtp_password.get_secret_value()
    try:
        _submit(message, settings, password)
    except smtplib.SMTPResponseException as exc:
        raise DeliveryFailed(scrub(_refusal(exc), password)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryFailed(scrub(_refused_recipient(exc), password)) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(scrub(f"SMTP: {type(exc).__name__}: {exc}", password)) from None


def _submit(message: EmailMessage, settings: Settings, password: str) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, password)
        smtp.send_message(message)


def _refusal(exc: smtplib.SMTPResponseException) -> str:
    said = exc.smtp_error
    text = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
    return f"SMTP {exc.smtp_code}: {text}"


def _refused_recipient(exc: smtplib.SMTPRecipientsRefused) -> str:
    code, said = next(iter(exc.recipients.values()), (0, b""))
    text = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
    return f"the SMTP server refused the recipient: {code} {text}".rstrip()


def compose(outgoing: Outgoing, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = SUBJECT_PREFIX + _one_line(outgoing.summary)
    message["From"] = settings.mail_from
    message["To"] = outgoing.recipient
    message["Date"] = format_datetime(outgoing.attempted_at)
    # Without a domain, make_msgid asks DNS for this host's name, which can hang.
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(f"delivery.{outgoing.id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message["X-Amends-Event"] = outgoing.event
    message.set_content(_text(outgoing, settings))
    return message


def compose_reply(outgoing: Outgoing, settings: Settings) -> EmailMessage:
    """A reply written by a person: no `[amends]` prefix and no Auto-Submitted header, so
    the customer's mail program treats it as the conversation it is. The Message-ID was made
    when the reply was queued, so every retry sends the same message."""
    data = outgoing.data
    message = EmailMessage()
    message["Subject"] = _one_line(str(data.get("subject") or outgoing.summary))
    message["From"] = settings.reply_from or settings.mail_from
    message["To"] = outgoing.recipient
    message["Date"] = format_datetime(outgoing.attempted_at)
    message["Message-ID"] = str(data["message_id"])
    if data.get("in_reply_to"):
        message["In-Reply-To"] = str(data["in_reply_to"])
    if data.get("references"):
        message["References"] = " ".join(str(r) for r in data["references"])
    message["X-Amends-Case"] = str(outgoing.case_id)
    message.set_content(str(data.get("text") or ""))
    return message


def _text(outgoing: Outgoing, settings: Settings) -> str:
    lines = [outgoing.summary, ""]
    if outgoing.case_id is not None:
        lines += [f"Open the case: {case_link(settings, outgoing.case_id)}", ""]
    if outgoing.data:
        lines.append("Details:")
        lines += [f"  {key}: {_value(value)}" for key, value in outgoing.data.items()]
        lines.append("")
    lines.append(f"You get this email for '{outgoing.event}' notifications: change that at")
    lines.append(f"{settings.public_url.rstrip('/')}/me/notifications")
    return "\n".join(lines) + "\n"


def case_link(settings: Settings, case_id: int) -> str:
    return f"{settings.public_url.rstrip('/')}/cases/{case_id}"


def _value(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _one_line(text: str) -> str:
    """Headers may not hold line breaks; a summary should not, but it is not trusted to."""
    return " ".join(text.split())
