"""Counting a text's letters and capitals at C speed, for rules that read whole texts.

`sum(map(str.isupper, text))` looks at one character at a time in Python: on a 1,000-character
complaint the shouting rule spent more time counting than the sentiment model spent scoring.
"""

from __future__ import annotations

import numpy as np

_A, _LOWER_A, _LETTERS = np.uint32(ord("A")), np.uint32(ord("a")), np.uint32(26)


def may_hold_links(text: str) -> bool:
    """Whether `text` may hold a link, an @handle or an e-mail address: every pattern that
    takes those out needs "http", "www." or "@", so without them it has nothing to do."""
    return "@" in text or "http" in text or "www." in text


def case_counts(text: str) -> tuple[int, int]:
    """`(letters, capitals)`: exactly `sum(map(str.isalpha, text))` and
    `sum(map(str.isupper, text))`. ASCII is counted in NumPy; other characters by Python."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    capitals = int(np.count_nonzero(points - _A < _LETTERS))
    letters = capitals + int(np.count_nonzero(points - _LOWER_A < _LETTERS))
    beyond_ascii = points[points >= 128]
    if len(beyond_ascii):
        rest = beyond_ascii.tobytes().decode("utf-32-le", "surrogatepass")
        letters += sum(map(str.isalpha, rest))
        capitals += sum(map(str.isupper, rest))
    return letters, capitals
