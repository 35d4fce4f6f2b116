"""Which of a set of regular expressions may match a text, found in one pass over it.

Risk cues and personal data are Python patterns that each cost 20–60 µs over a complaint of
1,100 characters, mostly to learn that they do not match: Python's `re` tries every
alternative at every character. Hyperscan compiles them all into one automaton that reads the
text once (a few µs) and names each pattern that may match. It compiles them in its prefilter
mode, which matches a superset of what a pattern matches where it cannot match it exactly
(lookarounds, back references). Only the patterns it names then run, in Python, so what is
found is exactly what Python finds.

Hyperscan compiles here with ASCII classes (with Unicode ones, compiling takes seconds), so
the text it reads has every character that Python's Unicode classes see differently replaced
by an ASCII stand-in of the same classes (`_stand_in`): its verdicts stay a superset of
Python's. Without hyperscan (a platform with no wheel), or for a text it cannot take, every
pattern runs.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from typing import Any

try:
    import hyperscan
except ImportError:  # pragma: no cover - every platform we test has a wheel
    hyperscan = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
_FLAGS = ("PREFILTER", "UTF8", "SINGLEMATCH", "ALLOWEMPTY")
_KNOWN_FLAGS = re.IGNORECASE | re.DOTALL | re.MULTILINE
# Characters outside ASCII, and the ASCII ones Python counts as space that Hyperscan does not.
_NEEDS_STAND_IN = re.compile(r"[^\x00-\x0a\x0c-\x1b\x20-\x7f]")


class PatternSet:
    """Named Python patterns, and a one-pass test of which of them may match a text.

    The patterns must not use `\\W`, `\\S`, `\\D` or negated classes outside lookarounds: the
    ASCII stand-ins keep a character's membership of `\\w`, `\\s` and `\\d`, not of every class.
    Nor `{,n}`, which Python reads as `{0,n}` and Hyperscan as the characters themselves.
    """

    def __init__(self, patterns: Mapping[str, re.Pattern[str]], *, scan: bool = True) -> None:
        for name, pattern in patterns.items():
            if "{," in pattern.pattern:
                raise ValueError(f"pattern {name!r}: write {{0,n}}, not {{,n}}")
            if pattern.flags & ~(re.UNICODE | _KNOWN_FLAGS):
                raise ValueError(f"pattern {name!r}: only flags I, S and M are read alike")
        self.patterns = dict(patterns)
        self.names = tuple(self.patterns)
        self._every = frozenset(self.names)
        self._scan = scan and hyperscan is not None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._database: Any = None

    def candidates(self, text: str) -> frozenset[str]:
        """The names of the patterns that may match `text`; all of them when unknown."""
        database = self._compiled() if self._scan else None
        if database is None:
            return self._every
        try:
            data = _scannable(text).encode()
        except UnicodeEncodeError:  # a lone surrogate
            return self._every
        found: set[int] = set()
        database.scan(data, match_event_handler=_note, context=found, scratch=self._scratch())
        return frozenset(self.names[index] for index in found)

    def _compiled(self) -> Any:
        """The compiled patterns; None, and every pattern runs, where Hyperscan cannot compile
        them (a processor without the instructions it needs)."""
        with self._lock:
            if self._database is None and self._scan:
                try:
                    self._database = _compile(list(self.patterns.values()))
                except hyperscan.HyperscanError as error:
                    log.warning("every pattern runs: Hyperscan could not compile them (%s)", error)
                    self._scan = False
            return self._database

    def _scratch(self) -> Any:
        """Each thread scans with its own scratch space, as Hyperscan requires."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        return scratch


def _compile(patterns: list[re.Pattern[str]]) -> Any:
    common = 0
    for name in _FLAGS:
        common |= getattr(hyperscan, f"HS_FLAG_{name}")
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[pattern.pattern.encode() for pattern in patterns],
        ids=list(range(len(patterns))),
        elements=len(patterns),
        flags=[common | _flags(pattern.flags) for pattern in patterns],
    )
    return database


def _flags(python: int) -> int:
    """Hyperscan's flags for a Python pattern's own (re.I, re.S, re.M)."""
    flags = 0
    for flag, name in (
        (re.IGNORECASE, "CASELESS"),
        (re.DOTALL, "DOTALL"),
        (re.MULTILINE, "MULTILINE"),
    ):
        if python & flag:
            flags |= getattr(hyperscan, f"HS_FLAG_{name}")
    return flags


def _note(index: int, start: int, end: int, flags: int, found: set[int]) -> None:
    found.add(index)


def _scannable(text: str) -> str:
    if text.isascii() and not _NEEDS_STAND_IN.search(text):
        return text
    return text.translate(_STAND_INS)


class _StandIns(dict[int, str]):
    """Each character's stand-in, found at its first sight (a text in Chinese brings
    thousands): `str.translate` then looks them up in C."""

    LIMIT = 1 << 16

    def __missing__(self, code: int) -> str:
        char = chr(code)
        found = _stand_in(char) if _NEEDS_STAND_IN.match(char) else char
        if len(self) < self.LIMIT:
            self[code] = found
        return found


_STAND_INS = _StandIns()


def _stand_in(char: str) -> str:
    """An ASCII character in the same of Python's `\\s`, `\\d` and `\\w` as `char`, and
    matching the same ASCII letters when case is ignored (Python folds "ſ" to "s", "K" to
    "k"); `char` itself when it is in none of them (Hyperscan's ASCII classes agree)."""
    if char.isspace():
        return " "
    if char.isdecimal():
        return "0"
    if not char.isalnum():
        return char
    for cased in (char.lower(), char.upper()):
        if cased[0].isascii() and cased[0].isalpha():
            return cased[0].lower()
    return "a"
