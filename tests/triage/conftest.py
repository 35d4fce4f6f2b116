"""Every triage test runs with the network refused: triage must work on a machine with none.

Connecting, resolving a name or sending a datagram raises, so a model, detector or rule that
reached for the network fails the test that exercised it, whichever test that is.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest


class NetworkRefused(AssertionError):
    pass


def _refuse(*args: object, **kwargs: object) -> None:
    raise NetworkRefused(f"triage tried to use the network: {args[1:] or kwargs}")


@pytest.fixture(scope="package", autouse=True)
def no_network() -> Iterator[None]:
    """Package-wide, so module fixtures that triage a data set run offline too."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("connect", "connect_ex", "sendto", "sendall", "send"):
            patch.setattr(socket.socket, name, _refuse)
        for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            patch.setattr(socket, name, _refuse)
        yield
