"""Real local servers for notification tests: an SMTP server (aiosmtpd) that keeps what it
receives, and an HTTP receiver that checks webhook signatures and can be told to fail."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from amends.lib import signing

SMTP_USER = "amends"
SMTP_PASSWORD = "smtp-pass-s3cret-value"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """The aiosmtpd handler: every message it is given, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        raw = cast(bytes, envelope.original_content or envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        self.messages.append(parsed)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


def _authenticator(
    server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        SMTP_USER.encode(),
        SMTP_PASSWORD.encode(),
    )
    # handled=False: aiosmtpd then answers a refusal with 535 itself.
    return AuthResult(success=ok, handled=False)


def _leaky_authenticator(
    server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    """A careless server that repeats the password it refuses."""
    said = data.password.decode() if isinstance(data, LoginPassword) else "?"
    return AuthResult(success=False, handled=False, message=f"535 wrong password {said!r}")


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox


@contextmanager
def smtp_server(*, with_login: bool = False, leaky: bool = False) -> Iterator[SmtpServer]:
    """An SMTP server on a free local port; `with_login` makes it ask for SMTP_USER's login
    (over plain text: it is a test); `leaky` refuses every login, quoting the password."""
    inbox = Inbox()
    options: dict[str, Any] = {}
    if with_login or leaky:
        check = _leaky_authenticator if leaky else _authenticator
        options = {"authenticator": check, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield SmtpServer(host="127.0.0.1", port=int(controller.port), inbox=inbox)
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def verifies(self, secret: str) -> bool:
        return signing.verify(
            secret,
            self.headers.get("X-Amends-Timestamp", ""),
            self.body,
            self.headers.get("X-Amends-Signature", ""),
        )


@dataclass
class WebhookReceiver:
    """Answers 204 to every POST, or the status of the next planned failure."""

    url: str
    received: list[Received] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, times: int, status: int = 503) -> None:
        with self.lock:
            self.failures.extend([status] * times)

    def answer(self, received: Received) -> int:
        time.sleep(self.delay)
        with self.lock:
            self.received.append(received)
            return self.failures.pop(0) if self.failures else 204


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            got = Received(path=self.path, headers=dict(self.headers.items()), body=body)
            self.send_response(receiver.answer(got))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output quiet

    return Handler


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
