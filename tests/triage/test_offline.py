"""The folder's conftest refuses the network; these prove that it does, so a triage test that
passes here passed offline."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from tests.triage.conftest import NetworkRefused


def test_a_connection_is_refused() -> None:
    with pytest.raises(NetworkRefused):
        socket.create_connection(("127.0.0.1", 5432), timeout=1)


def test_a_raw_socket_cannot_connect() -> None:
    with socket.socket() as raw, pytest.raises(NetworkRefused):
        raw.connect(("127.0.0.1", 5432))


def test_a_name_lookup_is_refused() -> None:
    with pytest.raises(NetworkRefused):
        socket.getaddrinfo("example.org", 443)


def test_an_http_request_is_refused() -> None:
    with pytest.raises(NetworkRefused):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
