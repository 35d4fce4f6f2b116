"""Email files: `.eml` (one message) and `.mbox` (many), and rejected messages back as an mbox.

A message's Record holds its headers under lower-cased names (the first of each name wins),
`body` (the text/plain part, else the text/html part as plain text), `body_type`, and
`_source`: the message's bytes as they were, which the rejects writer copies out unchanged.
`raw` is the whole message as text; bytes that are not UTF-8 are read in the message's own
charset, else as Latin-1, so no byte is lost.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from email import policy
from email.header import Header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from amends.ingest.model import FieldError, Record
from amends.lib import clock

SOURCE_KEY = "_source"
LINE_HEADER = "X-Amends-Line"
ERROR_HEADER = "X-Amends-Error"
_ENVELOPE = b"From "
_ESCAPED_FROM = re.compile(rb"^>(>*From )")
_NEEDS_ESCAPE = re.compile(rb"^>*From ")
_PARSER = BytesParser(policy=policy.default)


def read_eml(stream: IO[bytes]) -> Iterator[Record]:
    """One message. Its body is not mbox-escaped, so a `From ` line in it is just text."""
    source = stream.read()
    if source.startswith(_ENVELOPE):  # some clients save the mbox separator line too
        source = source.partition(b"\n")[2]
    if source.strip():
        yield message_record(1, source)


def read_mbox(stream: IO[bytes]) -> Iterator[Record]:
    """Each message, with `line` pointing at its `From ` separator line.

    A separator is a line starting with `From ` at the top of the file or after a blank line;
    `>From ` lines are unescaped (mboxrd), so a message written by MboxRejects reads back equal.
    """
    for line, lines in _messages(stream):
        yield message_record(line, b"".join(_ESCAPED_FROM.sub(rb"\1", part) for part in lines))


def _messages(lines: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    start, after_blank = 1, True
    message: list[bytes] = []
    for number, line in enumerate(lines, start=1):
        if after_blank and line.startswith(_ENVELOPE):
            if _has_content(message):
                yield start, _without_separator(message)
            start, message = number, []
        else:
            message.append(line)
        after_blank = not line.rstrip(b"\r\n")
    if _has_content(message):
        yield start, _without_separator(message)


def _has_content(lines: list[bytes]) -> bool:
    return any(line.strip() for line in lines)


def _without_separator(lines: list[bytes]) -> list[bytes]:
    """Drop the blank line that separates a message from the next `From ` line."""
    return lines[:-1] if lines and not lines[-1].rstrip(b"\r\n") else lines


def message_record(line: int, source: bytes) -> Record:
    message = _PARSER.parsebytes(source)
    charsets = [charset for charset in message.get_charsets() if charset]
    data: dict[str, Any] = _headers(message, charsets)
    data["body"], data["body_type"] = _body(message)
    data[SOURCE_KEY] = source
    return Record(line=line, data=data, raw=decode(source, ["utf-8", *charsets]))


def decode(data: bytes, charsets: Iterable[str]) -> str:
    """The first of `charsets` that decodes all of `data`, else Latin-1, which decodes anything."""
    for charset in charsets:
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def _headers(message: Message, charsets: list[str]) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    for name, value in message.raw_items():
        if name.lower() not in headers:
            # The parser keeps 8-bit header bytes as surrogates; read them like the body.
            text = decode(str(value).encode("utf-8", "surrogateescape"), ["utf-8", *charsets])
            headers[name.lower()] = _header_text(message, name, text)
    return headers


def _header_text(message: Message, name: str, value: str) -> str:
    try:
        return str(message.policy.header_fetch_parse(name, value)).strip()
    except Exception:  # the stdlib's header parser still raises on some malformed headers
        return " ".join(value.split())


def _body(message: Message) -> tuple[str, str]:
    part = message.get_body(("plain", "html")) if isinstance(message, EmailMessage) else None
    payload = part.get_payload(decode=True) if part is not None else None
    if part is None or not isinstance(payload, bytes):
        return "", ""
    declared = part.get_content_charset()
    text = decode(payload, [*([declared] if declared else []), "utf-8"])
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text, part.get_content_type()


def html_to_text(markup: str) -> str:
    """Plain text from an HTML body: block elements as lines, blockquotes as `> ` quotes."""
    parser = _PlainText()
    parser.feed(markup)
    parser.close()
    return parser.text()


class _PlainText(HTMLParser):
    BLOCKS = frozenset(
        {"address", "article", "br", "div", "footer", "h1", "h2", "h3", "h4", "h5", "h6"}
        | {"header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul"}
    )
    HIDDEN = frozenset({"head", "script", "style", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._buffers: list[list[str]] = [[]]  # one more for each open blockquote
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        elif tag == "blockquote":
            self._buffers.append([])
        elif tag in self.BLOCKS:
            self._buffers[-1].append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # `<br/>` is one line break, not two

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "blockquote":
            self._close_quote()
        elif tag in self.BLOCKS:
            self._buffers[-1].append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._buffers[-1].append(re.sub(r"\s+", " ", data))

    def _close_quote(self) -> None:
        if len(self._buffers) > 1:
            quoted = _tidy("".join(self._buffers.pop())).splitlines()
            self._buffers[-1].append("\n" + "\n".join(f"> {line}" for line in quoted) + "\n")

    def text(self) -> str:
        while len(self._buffers) > 1:
            self._close_quote()
        return _tidy("".join(self._buffers[0]))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class MboxRejects:
    """Rejected messages as an mbox, each with `X-Amends-Line` and `X-Amends-Error` on top.

    Opened on the first reject, like the other sinks. Importing the file again reads the two
    headers as ordinary ones, and a message rejected twice carries only the latest pair.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[bytes] | None = None

    def add(self, record: Record, error: FieldError) -> None:
        source = record.data.get(SOURCE_KEY)
        if not isinstance(source, bytes):
            source = record.raw.encode("utf-8")
        stamped = stamp(source, line=record.line, error=str(error))
        handle = self._open()
        handle.write(b"From amends-rejected " + time.asctime(clock.now().timetuple()).encode())
        handle.write(b"\n" + escape(stamped) + b"\n")
        self.count += 1

    def _open(self) -> IO[bytes]:
        if self._handle is None:
            self._handle = self.path.open("wb")
        return self._handle

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def stamp(source: bytes, *, line: int, error: str) -> bytes:
    """The message with our two headers first, replacing any an earlier import added."""
    newline = b"\r\n" if source.partition(b"\n")[0].endswith(b"\r") else b"\n"
    ours = _header_line(LINE_HEADER, str(line), newline) + _header_line(
        ERROR_HEADER, error, newline
    )
    return ours + _drop_headers(source, {LINE_HEADER.lower(), ERROR_HEADER.lower()})


def _header_line(name: str, value: str, newline: bytes) -> bytes:
    flat = " ".join(value.split())
    charset = "us-ascii" if flat.isascii() else "utf-8"
    encoded = Header(flat, charset, header_name=name).encode(linesep=newline.decode())
    return f"{name}: {encoded}".encode("ascii") + newline


def _drop_headers(source: bytes, names: set[str]) -> bytes:
    lines = source.splitlines(keepends=True)
    kept: list[bytes] = []
    dropping = False
    for index, line in enumerate(lines):
        if not line.rstrip(b"\r\n"):  # the blank line that ends the header block
            return b"".join(kept + lines[index:])
        if line[:1] not in (b" ", b"\t"):  # not a folded continuation of the previous header
            name = line.partition(b":")[0].strip().lower()
            dropping = name.decode("ascii", "replace") in names
        if not dropping:
            kept.append(line)
    return b"".join(kept)


def escape(message: bytes) -> bytes:
    """mboxrd: one more `>` on every line that reads `From ` after any `>`; reading removes it."""
    lines = message.splitlines(keepends=True)
    if lines and not lines[-1].endswith(b"\n"):
        lines[-1] += b"\n"
    return b"".join(b">" + line if _NEEDS_ESCAPE.match(line) else line for line in lines)
