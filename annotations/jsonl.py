"""One JSON value per line, read from files that come from outside.

``json.loads`` alone lets through what breaks later, far from the line that
caused it: lone surrogates (``"\\ud800"``) that SQLite and the terminal cannot
encode, nesting deep enough to overflow the interpreter's stack, integers too
long to convert, and NaN or Infinity, which no other JSON reader accepts. Each
is refused here as an ``InputError`` naming the file and line.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import InputError, shown

MAX_DEPTH = 100  # objects and arrays inside each other; an article's record needs a handful
MAX_DIGITS = 100  # in an integer; ids and offsets have at most twenty


class _Refused(ValueError):
    """A number this reader does not take (raised from json's number hooks)."""


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number with {len(digits.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(digits)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:20]} is out of range")
    return value


def _constant(name: str) -> float:
    raise _Refused(f"{name} is not JSON")


def _check(value: Any, origin: str, line: int) -> None:
    """Refuse lone surrogates in any string (keys too) and nesting deeper than MAX_DEPTH; no recursion."""
    stack: list[tuple[Any, int, str | None]] = [(value, 1, None)]
    while stack:
        item, depth, field = stack.pop()
        if isinstance(item, str):
            strings = (item,)
        elif isinstance(item, dict):
            strings = tuple(item)
        elif isinstance(item, list):
            strings = ()
        else:
            continue
        for text in strings:
            if not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError as exc:
                    where = f' in "{shown(field)}"' if field else ""
                    raise InputError(origin, f"a lone surrogate {shown(text[exc.start])}{where}"
                                             " (half of a UTF-16 pair, not a character)", line) from None
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise InputError(origin, f"JSON nested more than {MAX_DEPTH} levels deep", line)
            children = item.items() if isinstance(item, dict) else ((None, child) for child in item)
            stack.extend((child, depth + 1, field or key) for key, child in children)


# Lines are decoded strictly, so a lone surrogate in a parsed string comes from a \\uD800-\\uDFFF escape.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
# One decoder for every line: json.loads with hooks would build a new one each call (half the cost of a line).
_DECODER = json.JSONDecoder(parse_int=_integer, parse_float=_finite, parse_constant=_constant)


def load_line(text: str, origin: str, line: int) -> Any:
    """The JSON value on one line, or an InputError ``origin:line: why``."""
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise InputError(origin, f"JSON nested more than {MAX_DEPTH} levels deep", line) from None
    except _Refused as exc:
        raise InputError(origin, str(exc), line) from None
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"not JSON: {exc.msg} at column {exc.colno}", line) from None
    if ("\\u" in text and _SURROGATE_ESCAPE.search(text)) or text.count("[") + text.count("{") > MAX_DEPTH:
        _check(value, origin, line)  # most lines can have neither: the walk costs as much as the parse
    return value
