"""Strings from data made safe to show on a terminal, in the TUI and on the command line.

Anything read from a file or a database (article text, titles, labels, actor
ids, annotator names, attribute values, file names) may hold escape sequences
(``ESC ] 52`` writes the clipboard, ``ESC [2J`` clears the screen, OSC 8 makes
links), C1 controls (U+009B alone starts a CSI sequence on some terminals),
bidi overrides that make text read in another order, or invisible characters.
``safe_text`` shows every such character as a visible stand-in and leaves all
other text (accents, emoji, combining marks) as it is; the article view draws
one character at a time with ``stand_in``, the same mapping.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Control, format (bidi marks and overrides, zero-width), line/paragraph separators,
# private use, surrogates and unassigned code points: never sent to a terminal as they are.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})


@lru_cache(maxsize=4096)
def stand_in(ch: str) -> str | None:
    """What to show instead of the character ``ch``, or None when it is shown as it is."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␀ ␉ ␊ ␛ ...
    if code == 0x7F:
        return "␡"
    if code < 0x7F:
        return None
    if code < 0xA0:
        return "�"  # C1 controls, U+009B (CSI) among them
    if unicodedata.category(ch) in HIDDEN_CATEGORIES:
        return "·"
    return None


def safe_text(text: object, *, newlines: bool = False) -> str:
    """``text`` (made a string) with a visible stand-in for each character a terminal would obey
    or hide; ``newlines=True`` keeps line breaks, for messages of several lines."""
    text = str(text)
    if text.isprintable():  # no control, format or separator character: nothing to do
        return text
    if newlines:
        return "\n".join(safe_text(line) for line in text.split("\n"))
    return "".join(stand_in(ch) or ch for ch in text)


def clipped(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, the last of them "…" when anything was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str, limit: int = 40) -> str:
    """A short quote of text from data for a message: 'cut to ``limit`` characters…', made safe."""
    return f"'{safe_text(clipped(text, limit))}'"
