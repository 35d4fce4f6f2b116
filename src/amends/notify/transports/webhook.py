"""Signed JSON POSTs to webhook endpoints, with the same signature amends checks on the way in
(lib/signing): `X-Amends-Signature: sha256=<hex>` over `"<timestamp>.<body>"`."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any

from amends import __version__
from amends.config import Settings
from amends.lib import signing
from amends.notify.message import DeliveryFailed, Outgoing, scrub

TIMEOUT_SECONDS = 10.0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is not 2xx: a POST must not quietly become a GET elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# The standard library's client: amends has no HTTP client among its dependencies, and one POST
# with a timeout needs none.
_opener = urllib.request.build_opener(_NoRedirects)


def send(outgoing: Outgoing, settings: Settings) -> None:
    if not outgoing.secret:
        raise DeliveryFailed("the webhook endpoint has no signing secret")
    body = json.dumps(outgoing.body(), separators=(",", ":"), ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - endpoints.py admits only http(s) URLs
        outgoing.recipient, data=body, method="POST", headers=headers(outgoing, body)
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"the endpoint answered HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise DeliveryFailed(_unreachable(outgoing, exc.reason)) from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise DeliveryFailed(_unreachable(outgoing, exc)) from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"the endpoint answered HTTP {status}")


def headers(outgoing: Outgoing, body: bytes) -> dict[str, str]:
    assert outgoing.secret is not None
    timestamp = str(int(outgoing.attempted_at.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": f"amends/{__version__}",
        "X-Amends-Event": outgoing.event,
        "X-Amends-Delivery": str(outgoing.id),
        "X-Amends-Timestamp": timestamp,
        "X-Amends-Signature": signing.sign(outgoing.secret, timestamp, body),
    }


def _unreachable(outgoing: Outgoing, reason: object) -> str:
    # The URL may carry a token of its own (many chat webhooks do): keep it out of the text.
    text = f"could not reach the endpoint: {type(reason).__name__}: {reason}"
    return scrub(text, outgoing.recipient, outgoing.secret)
