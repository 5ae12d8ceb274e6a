"""The project's one tokenizer, and sentence boundaries built on it.

Every stored span, the TUI cursor, spaCy Docs and every export use these
offsets, so spans never misalign between them. The rules are one regular
expression (no spaCy), cheap enough for the TUI to use without loading a
model. The same rules compiled in C (``_tokens.c``, built on install where
there is a C compiler) run about twenty times faster, which an import of
thousands of articles needs; a test keeps the two equal.

Offsets are Unicode code points into the text, end exclusive.
"""
from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from functools import cache, cached_property

from .errors import TandaiError
from .extensions import optional_extension

# Every combining mark in Unicode (general categories Mn, Mc, Me; generated
# from unicodedata 14.0): Latin accents, Arabic harakat, and the vowel signs
# of Javanese, Balinese, Sundanese or Thai script alike. The marks above
# U+FFFF (historic scripts, musical notation) are kept apart: the regex engine
# checks those one range at a time, which slows every token down, so only
# text that has a character from their block uses the pattern with them.
_BMP_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7\u0610-\u061a"
    "\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed\u0711\u0730-\u074a"
    "\u07a6-\u07b0\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d"
    "\u0859-\u085b\u0898-\u089f\u08ca-\u08e1\u08e3-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957"
    "\u0962-\u0963\u0981-\u0983\u09bc\u09be-\u09c4\u09c7-\u09c8\u09cb-\u09cd\u09d7\u09e2-\u09e3\u09fe"
    "\u0a01-\u0a03\u0a3c\u0a3e-\u0a42\u0a47-\u0a48\u0a4b-\u0a4d\u0a51\u0a70-\u0a71\u0a75\u0a81-\u0a83"
    "\u0abc\u0abe-\u0ac5\u0ac7-\u0ac9\u0acb-\u0acd\u0ae2-\u0ae3\u0afa-\u0aff\u0b01-\u0b03\u0b3c"
    "\u0b3e-\u0b44\u0b47-\u0b48\u0b4b-\u0b4d\u0b55-\u0b57\u0b62-\u0b63\u0b82\u0bbe-\u0bc2"
    "\u0bc6-\u0bc8\u0bca-\u0bcd\u0bd7\u0c00-\u0c04\u0c3c\u0c3e-\u0c44\u0c46-\u0c48\u0c4a-\u0c4d"
    "\u0c55-\u0c56\u0c62-\u0c63\u0c81-\u0c83\u0cbc\u0cbe-\u0cc4\u0cc6-\u0cc8\u0cca-\u0ccd"
    "\u0cd5-\u0cd6\u0ce2-\u0ce3\u0d00-\u0d03\u0d3b-\u0d3c\u0d3e-\u0d44\u0d46-\u0d48\u0d4a-\u0d4d"
    "\u0d57\u0d62-\u0d63\u0d81-\u0d83\u0dca\u0dcf-\u0dd4\u0dd6\u0dd8-\u0ddf\u0df2-\u0df3\u0e31"
    "\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd\u0f18-\u0f19\u0f35\u0f37\u0f39"
    "\u0f3e-\u0f3f\u0f71-\u0f84\u0f86-\u0f87\u0f8d-\u0f97\u0f99-\u0fbc\u0fc6\u102b-\u103e"
    "\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f"
    "\u109a-\u109d\u135d-\u135f\u1712-\u1715\u1732-\u1734\u1752-\u1753\u1772-\u1773\u17b4-\u17d3"
    "\u17dd\u180b-\u180d\u180f\u1885-\u1886\u18a9\u1920-\u192b\u1930-\u193b\u1a17-\u1a1b\u1a55-\u1a5e"
    "\u1a60-\u1a7c\u1a7f\u1ab0-\u1ace\u1b00-\u1b04\u1b34-\u1b44\u1b6b-\u1b73\u1b80-\u1b82"
    "\u1ba1-\u1bad\u1be6-\u1bf3\u1c24-\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce8\u1ced\u1cf4\u1cf7-\u1cf9"
    "\u1dc0-\u1dff\u20d0-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a"
    "\ua66f-\ua672\ua674-\ua67d\ua69e-\ua69f\ua6f0-\ua6f1\ua802\ua806\ua80b\ua823-\ua827\ua82c"
    "\ua880-\ua881\ua8b4-\ua8c5\ua8e0-\ua8f1\ua8ff\ua926-\ua92d\ua947-\ua953\ua980-\ua983"
    "\ua9b3-\ua9c0\ua9e5\uaa29-\uaa36\uaa43\uaa4c-\uaa4d\uaa7b-\uaa7d\uaab0\uaab2-\uaab4\uaab7-\uaab8"
    "\uaabe-\uaabf\uaac1\uaaeb-\uaaef\uaaf5-\uaaf6\uabe3-\uabea\uabec-\uabed\ufb1e\ufe00-\ufe0f"
    "\ufe20-\ufe2f"
)
_ASTRAL_MARKS = (
    "\U000101fd\U000102e0\U00010376-\U0001037a\U00010a01-\U00010a03\U00010a05-\U00010a06"
    "\U00010a0c-\U00010a0f\U00010a38-\U00010a3a\U00010a3f\U00010ae5-\U00010ae6\U00010d24-\U00010d27"
    "\U00010eab-\U00010eac\U00010f46-\U00010f50\U00010f82-\U00010f85\U00011000-\U00011002"
    "\U00011038-\U00011046\U00011070\U00011073-\U00011074\U0001107f-\U00011082\U000110b0-\U000110ba"
    "\U000110c2\U00011100-\U00011102\U00011127-\U00011134\U00011145-\U00011146\U00011173"
    "\U00011180-\U00011182\U000111b3-\U000111c0\U000111c9-\U000111cc\U000111ce-\U000111cf"
    "\U0001122c-\U00011237\U0001123e\U000112df-\U000112ea\U00011300-\U00011303\U0001133b-\U0001133c"
    "\U0001133e-\U00011344\U00011347-\U00011348\U0001134b-\U0001134d\U00011357\U00011362-\U00011363"
    "\U00011366-\U0001136c\U00011370-\U00011374\U00011435-\U00011446\U0001145e\U000114b0-\U000114c3"
    "\U000115af-\U000115b5\U000115b8-\U000115c0\U000115dc-\U000115dd\U00011630-\U00011640"
    "\U000116ab-\U000116b7\U0001171d-\U0001172b\U0001182c-\U0001183a\U00011930-\U00011935"
    "\U00011937-\U00011938\U0001193b-\U0001193e\U00011940\U00011942-\U00011943\U000119d1-\U000119d7"
    "\U000119da-\U000119e0\U000119e4\U00011a01-\U00011a0a\U00011a33-\U00011a39\U00011a3b-\U00011a3e"
    "\U00011a47\U00011a51-\U00011a5b\U00011a8a-\U00011a99\U00011c2f-\U00011c36\U00011c38-\U00011c3f"
    "\U00011c92-\U00011ca7\U00011ca9-\U00011cb6\U00011d31-\U00011d36\U00011d3a\U00011d3c-\U00011d3d"
    "\U00011d3f-\U00011d45\U00011d47\U00011d8a-\U00011d8e\U00011d90-\U00011d91\U00011d93-\U00011d97"
    "\U00011ef3-\U00011ef6\U00016af0-\U00016af4\U00016b30-\U00016b36\U00016f4f\U00016f51-\U00016f87"
    "\U00016f8f-\U00016f92\U00016fe4\U00016ff0-\U00016ff1\U0001bc9d-\U0001bc9e\U0001cf00-\U0001cf2d"
    "\U0001cf30-\U0001cf46\U0001d165-\U0001d169\U0001d16d-\U0001d172\U0001d17b-\U0001d182"
    "\U0001d185-\U0001d18b\U0001d1aa-\U0001d1ad\U0001d242-\U0001d244\U0001da00-\U0001da36"
    "\U0001da3b-\U0001da6c\U0001da75\U0001da84\U0001da9b-\U0001da9f\U0001daa1-\U0001daaf"
    "\U0001e000-\U0001e006\U0001e008-\U0001e018\U0001e01b-\U0001e021\U0001e023-\U0001e024"
    "\U0001e026-\U0001e02a\U0001e130-\U0001e136\U0001e2ae\U0001e2ec-\U0001e2ef\U0001e8d0-\U0001e8d6"
    "\U0001e944-\U0001e94a\U000e0100-\U000e01ef"
)

# Marks that never start a token: combining marks, variation selectors and
# emoji skin tones attach to whatever precedes them, and the zero-width joiner
# glues emoji sequences, so a span never cuts a letter from its accent or an
# emoji in half.
_EMOJI_MARKS = "\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef"
# Text with a character in this block may hold one of the rarer astral marks.
_RARE_MARK_BLOCK = re.compile("[\U000101fd-\U0001e94a]")


def _token_pattern(marks: str) -> re.Pattern[str]:
    word = rf"[^\W_][\w{marks}]*(?:['’][\w{marks}]+)*"
    # Alternatives are ordered so the common case (a plain word) is cheap: each
    # earlier one fails on its first or second character for ordinary words.
    return re.compile(
        "|".join(
            [
                # numbers with thousands, decimals, times and dates: 5.000, 8:00, 26/10/2020
                rf"\d+(?:[.,:/]\d+)+[{marks}]*",
                # web addresses
                r"(?:https?://|www\.)[^\s<>\"()]+[^\s<>\"().,;:!?]",
                # initialisms: D.C, A.S., P.B.B.
                rf"(?:[A-Za-z]\.){{2,}}(?![A-Za-z{marks}])|[A-Za-z]\.[A-Za-z](?![\w.{marks}])",
                # words (O'Brien, Jum'at), and outlet domains kept whole (Liputan6.com)
                word + rf"(?:\.(?:com|co\.id|go\.id|id|net|org)(?![\w{marks}]))?",
                # flags are two regional indicators
                rf"[\U0001f1e6-\U0001f1ff]{{2}}[{marks}]*",
                # any other character, with its marks and any ZWJ sequence
                rf"[^\s{marks}\u200d][{marks}]*(?:\u200d[^\s\u200d][{marks}]*)*",
                # marks with nothing before them
                rf"[{marks}\u200d]+",
            ]
        )
    )


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(the usual pattern, the one with the rarer marks), compiled on first use: 12 ms that a
    process using the compiled tokenizer never spends."""
    return (_token_pattern(_BMP_MARKS + _EMOJI_MARKS),
            _token_pattern(_BMP_MARKS + _EMOJI_MARKS + _ASTRAL_MARKS))


# Starting only where a word starts keeps the scan linear.
_HYPHENATED = re.compile(r"(?<!\w)(\w+)-(\w+)")


def _is_reduplication(left: str, right: str) -> bool:
    """Indonesian reduplication (baru-baru, berminggu-minggu, besar-besaran)."""
    left, right = left.lower(), right.lower()
    return left == right or left.endswith(right) or right.startswith(left)


def tokenize_re(text: str) -> list[tuple[int, int]]:
    """Token offsets of ``text``: every non-space character is in exactly one token.

    Hyphens split words (Armenia-Azerbaijan, Nagorno-Karabakh) except in
    reduplication, which Indonesian treats as one word. This is the reference
    the compiled tokenizer is tested against; ``tokenize`` picks the fast one.
    """
    usual, all_marks = _patterns()
    pattern = all_marks if _RARE_MARK_BLOCK.search(text) else usual
    spans = [m.span() for m in pattern.finditer(text)]
    if "-" not in text:
        return spans
    # Join X - Y back into one token where X-Y is a reduplication.
    joined: list[tuple[int, int]] = []
    for match in _HYPHENATED.finditer(text):
        if _is_reduplication(match.group(1), match.group(2)):
            joined.append(match.span())
    if not joined:
        return spans
    # Replace each word, hyphen, word run of tokens by one token; bisect finds
    # the run and slices copy the tokens between runs.
    out: list[tuple[int, int]] = []
    i = 0
    for start, end in joined:
        j = bisect_left(spans, (start,), i)
        if (j + 2 < len(spans) and spans[j][0] == start and spans[j + 1] == (spans[j][1], spans[j][1] + 1)
                and spans[j + 2][1] == end):
            out.extend(spans[i:j])
            out.append((start, end))
            i = j + 3
    out.extend(spans[i:])
    return out


def _mark_ranges(marks: str) -> list[tuple[int, int]]:
    """Merged, sorted (low, high) code points of a character-class body such as ``_BMP_MARKS``."""
    ranges = []
    i = 0
    while i < len(marks):
        if i + 2 < len(marks) and marks[i + 1] == "-":
            ranges.append((ord(marks[i]), ord(marks[i + 2])))
            i += 3
        else:
            ranges.append((ord(marks[i]), ord(marks[i])))
            i += 1
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


TOKENS_ABI = 1  # _tokens.c's ABI: raise both with any change of what it offers
compiled = optional_extension("_tokens", TOKENS_ABI)  # None: the regular expression does the work
if compiled:
    compiled.set_marks(_mark_ranges(_BMP_MARKS + _EMOJI_MARKS + _ASTRAL_MARKS))


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token offsets of ``text`` (see ``tokenize_re`` for the rules), end exclusive."""
    return compiled.spans(text) if compiled else tokenize_re(text)


def tokenize_json(text: str) -> str:
    """The stored form of ``text``'s tokens, straight from the text (the import's hot path)."""
    return compiled.spans_json(text) if compiled else tokens_json(tokenize_re(text))


def tokens_from_json(stored: str, doc_id: str) -> list[tuple[int, int]]:
    """Stored tokens back as (start, end) pairs: the compiled reader takes the stored form
    (what ``tokens_json`` writes) in a third of json's time; anything else goes through json,
    and a value that is not a list of pairs (the database was edited outside tandai) is a
    one-line error naming the article."""
    spans = compiled.spans_from_json(stored) if compiled and isinstance(stored, str) else None
    if spans is not None:
        return spans
    return [tuple(p) for p in _pairs_from_json(stored, doc_id)]


def _pairs_from_json(stored: str, doc_id: str) -> list[list[int]]:
    """The stored tokens read by the json module, checked to be [start, end] pairs."""
    try:
        pairs = json.loads(stored)
        if isinstance(pairs, list) and all(isinstance(p, list) and len(p) == 2 and all(type(n) is int for n in p)
                                           for p in pairs):
            return pairs
    except (TypeError, ValueError, RecursionError):
        pass
    raise TandaiError(f"article {doc_id}: its stored tokens are not a JSON list of [start, end] pairs"
                      " (the database was changed outside tandai)")


class TokenOffsets(Sequence[tuple[int, int]]):
    """An article's tokens as two arrays of C ints, ``starts`` and ``ends`` (an ``array``, or a
    ``memoryview`` of the compiled reader's buffer): 8 bytes a token where a list of tuples takes
    about 110 (a 1 MB article's 150,000 tokens in 1.2 MiB instead of 17). It reads as that list
    would: ``offsets[i]`` is the pair (start, end), made when asked for."""

    __slots__ = ("starts", "ends")

    def __init__(self, starts: array | memoryview, ends: array | memoryview):
        self.starts, self.ends = starts, ends

    @classmethod
    def of(cls, pairs: Sequence[Sequence[int]]) -> TokenOffsets:
        """Offsets from (start, end) pairs (returned as they are if already ``TokenOffsets``)."""
        if isinstance(pairs, TokenOffsets):
            return pairs
        return cls(array("i", (p[0] for p in pairs)), array("i", (p[1] for p in pairs)))

    @classmethod
    def from_json(cls, stored: str, doc_id: str) -> TokenOffsets:
        """The stored form read straight into the arrays (by the compiled reader when it is the
        form ``tokens_json`` writes; a value that is not pairs is the one-line error of
        ``tokens_from_json``)."""
        buffers = compiled.offsets_from_json(stored) if compiled and isinstance(stored, str) else None
        if buffers is None:
            pairs = _pairs_from_json(stored, doc_id)
            try:
                return cls.of(pairs)
            except OverflowError:
                raise TandaiError(f"article {doc_id}: a stored token offset is beyond any article's length"
                                  " (the database was changed outside tandai)") from None
        return cls(*(memoryview(buffer).cast("i") for buffer in buffers))  # read in place, not copied

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(zip(self.starts[i], self.ends[i]))
        return self.starts[i], self.ends[i]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends)

    def __eq__(self, other) -> bool:
        if isinstance(other, TokenOffsets):
            return self.starts == other.starts and self.ends == other.ends
        if isinstance(other, Sequence):
            return len(other) == len(self) and all(tuple(p) == q for p, q in zip(other, self))
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"TokenOffsets({list(self)!r})"

    def index_at(self, offset: int) -> int:
        """The token containing ``offset``, else the first after it (the last token past the end)."""
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.ends[i] > offset:
            return i
        return min(max(i + 1, 0), len(self.starts) - 1)


class Boundaries:
    """Where a text's tokens start and end, to check a span against them or snap it to them."""

    def __init__(self, tokens: Sequence[Sequence[int]]):
        offsets = TokenOffsets.of(tokens)
        self.starts, self.ends = offsets.starts, offsets.ends

    @cached_property
    def _edges(self) -> tuple[frozenset[int], frozenset[int]]:
        return frozenset(self.starts), frozenset(self.ends)

    def aligns(self, start: int, end: int) -> bool:
        """Whether ``start`` is a token's start and ``end`` a token's end: for ``start < end``, what
        ``snap`` leaves as it is (thousands of spans checked by two set look-ups each)."""
        starts, ends = self._edges
        return start in starts and end in ends

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """The smallest run of whole tokens covering every token ``start``-``end`` touches;
        None when it touches none (only whitespace, or outside the text)."""
        first = bisect_right(self.ends, start)  # the first token ending after start
        last = bisect_left(self.starts, end) - 1  # the last token starting before end
        if first > last:
            return None
        return self.starts[first], self.ends[last]


def spacy_layout(text: str, tokens: Sequence[Sequence[int]]) -> tuple[list[int], list[int], list[bool]]:
    """(starts, ends, trailing space) of the words of a spaCy Doc built on the stored tokens.

    Every gap between tokens other than one space becomes a whitespace word, as
    spaCy does itself, so ``doc.text == text`` and each stored token is a Doc
    token. Without spaCy: the spaCy exporter, the Prodigy exporter (whose
    ``tokens`` are these words) and ``pretag.make_doc`` all use this one layout,
    compiled where ``_tokens`` is built (pre-tagging makes one per article).
    """
    return compiled.layout(text, tokens) if compiled else spacy_layout_plain(text, tokens)


def spacy_layout_plain(text: str, tokens: Sequence[Sequence[int]]) -> tuple[list[int], list[int], list[bool]]:
    """``spacy_layout`` in Python (``_tokens.layout`` is the same, compiled)."""
    starts: list[int] = []
    ends: list[int] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in (*tokens, (len(text), None)):  # the sentinel places the text's tail
        if start > pos:
            gap = pos
            if starts and text[pos] == " ":
                spaces[-1] = True
                gap += 1
            if start > gap:
                starts.append(gap)
                ends.append(start)
                spaces.append(False)
        if end is None:
            break
        starts.append(start)
        ends.append(end)
        spaces.append(False)
        pos = end
    return starts, ends, spaces


def tokens_json(tokens: Sequence[tuple[int, int]]) -> str:
    """The stored form: a JSON list of [start, end] pairs (built directly, it is hot on import)."""
    return "[" + ",".join(f"[{s},{e}]" for s, e in tokens) + "]"


_SENTENCE_END = frozenset(".!?…")
_CLOSERS = frozenset("\"'”’)]»")
_OPENERS = frozenset("\"“'‘(")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "Dr Prof Drs Ir H Hj Jl No St Tn Ny Sdr Mr Mrs Ms Jend Kol Letjen Mayjen Brigjen dkk dll dsb"
    " vs Inc Ltd Co".split()
)


_BOUNDARY_CHARS = re.compile(r"[.!?…\n]")


def sentence_starts(text: str, tokens: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of tokens that start a sentence.

    A sentence ends at . ! ? (and any closing quotes or brackets glued to it)
    when the next token starts with a capital, a digit or an opening quote, and
    always at a line break: scraped news puts headlines, captions and
    datelines on lines of their own, often without a full stop.

    Only tokens after a full stop, a mark of the kind or a line break can start
    one, so those are found in the text and looked at, not every token.
    """
    n = len(tokens)
    if not n:
        return []
    firsts = tokens.starts if isinstance(tokens, TokenOffsets) else [token[0] for token in tokens]
    # the token after each such character (a line break is in the gap before it)
    candidates = sorted({i for i in (bisect_right(firsts, m.start()) for m in _BOUNDARY_CHARS.finditer(text))
                         if 0 < i < n})
    starts = [0]
    done = 0  # the last token looked at
    for i in candidates:
        if i <= done:
            continue
        pending = False  # the tokens so far end a sentence if the next one qualifies
        while i < n:
            prev_start, prev_end = tokens[i - 1]
            start, end = tokens[i]
            prev = text[prev_start:prev_end]
            if set(prev) <= _SENTENCE_END:
                before = text[tokens[i - 2][0]:tokens[i - 2][1]] if i >= 2 else ""
                pending = prev != "." or not (before in _ABBREVIATIONS or (len(before) == 1 and before.isupper()))
            elif not (pending and set(prev) <= _CLOSERS and prev_start == tokens[i - 2][1]):
                pending = False
            first = text[start]
            # A quote glued to the full stop closes the sentence ("siap." Lalu), it does not open one.
            glued_closer = start == prev_end and set(text[start:end]) <= _CLOSERS
            if "\n" in text[prev_end:start] or (
                pending and not glued_closer and (first.isupper() or first.isdigit() or first in _OPENERS)
            ):
                starts.append(i)
                pending = False
            done = i
            i += 1
            if not pending:
                break  # nothing starts before the next candidate
    return starts


def sentences(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences as (first token index, end token index exclusive)."""
    starts = sentence_starts(text, tokens)
    return [(s, e) for s, e in zip(starts, starts[1:] + [len(tokens)])]
