"""The one tokenizer (annotations.tokens): properties over hostile text, and the cases issue 2 names."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotations import tokens as tokens_module
from annotations.errors import TandaiError
from annotations.tokens import (TokenOffsets, sentence_starts, sentences, tokenize, tokenize_json, tokenize_re,
                                tokens_from_json, tokens_json)
from conftest import assert_extension_built, check_tokens

# -- text built from what scraped pages and terminals throw at us ---------------------------

EMOJI = [
    "😀", "👍🏽", "👋🏿", "👨‍👩‍👧‍👦", "👩🏽‍💻", "🏳️‍🌈", "🏴‍☠️", "❤️", "1️⃣",
    "🇮🇩", "🇦🇲", "🇦🇿", "🇮🇩🇦🇲", "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
]
COMBINING = ["e\u0301", "\u0301", "a\u0308\u0304", "n\u0303", "\u0651", "\u093f", "\u20dd", "\ufe0f"]
LINE_BREAKS = ["\r\n", "\r", "\n", "\n\n", "\u2028", "\x85"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
CJK = ["北京", "日本語", "한국어", "中文。", "（注）"]
CONTROLS = ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x9b", "\x01\x02"]
MARKUP = ["[bold red]", "[/]", "[/bold red]", "[link=http://x]", "[@click=quit]", "\\[", "[b]x[/b]"]
ANSI = ["\x1b[2J", "\x1b[31m", "\x1b[0m", "\x1b]8;;http://x\x1b\\", "\x1b[?1049h"]
WORDS = [
    "Armenia", "berminggu-minggu", "Armenia-Azerbaijan", "5.000", "26/10/2020", "D.C", "O'Brien",
    "Liputan6.com", "Dr.", "Jum'at", "(", ")", ".", ",", "-", '"', "“", "”", " ", "  ", "\t",
    "\u00a0", "_", "__init__", "http://x.org/a?b=1.", "8:00",
]
FRAGMENTS = EMOJI + COMBINING + LINE_BREAKS + ZERO_WIDTH + CJK + CONTROLS + MARKUP + ANSI + WORDS

fragment = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.characters(categories=["Mn", "Mc", "Me"]),  # any combining mark, not only Latin accents
    st.text(max_size=4),  # anything else Unicode has
)
hostile_text = st.lists(fragment, max_size=40).map("".join)

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(hostile_text)
@example("Armenia.(Baca juga: x)")
@example("a\u0e31b")  # Thai vowel mark
@example("5.000\u0301")
@example("D.C\u0301")
@example("ꦗꦮ\ua9b4")  # Javanese script
@example("a\U00011127 \U0001d165\U0001d167")  # marks above U+FFFF (Chakma, musical notation)
def test_tokens_cover_every_visible_char_exactly_once(text):
    check_tokens(text, tokenize(text))


@SETTINGS
@given(hostile_text)
def test_tokens_json_is_the_stored_form(text):
    import json

    tokens = tokenize(text)
    assert [tuple(t) for t in json.loads(tokens_json(tokens))] == tokens


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in tokenize(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Armenia.(Baca", ["Armenia", ".", "(", "Baca"]),
        ("berminggu-minggu", ["berminggu-minggu"]),
        ("baru-baru ini", ["baru-baru", "ini"]),
        ("besar-besaran", ["besar-besaran"]),
        ("Armenia-Azerbaijan", ["Armenia", "-", "Azerbaijan"]),
        ("Nagorno-Karabakh", ["Nagorno", "-", "Karabakh"]),
        ("hampir 5.000 orang", ["hampir", "5.000", "orang"]),
        ("Senin (26/10/2020).", ["Senin", "(", "26/10/2020", ")", "."]),
        ("Robert O'Brien kepada", ["Robert", "O'Brien", "kepada"]),
        ("Liputan6.com, Jakarta", ["Liputan6.com", ",", "Jakarta"]),
        ("Washington D.C, AS", ["Washington", "D.C", ",", "AS"]),
        ("pukul 8:00 waktu", ["pukul", "8:00", "waktu"]),
        ("Jum'at, 09 Oktober", ["Jum'at", ",", "09", "Oktober"]),
        ("tahun 1990-an.", ["tahun", "1990", "-", "an", "."]),
    ],
)
def test_specific_tokens(text, expected):
    assert words(text) == expected


def test_emoji_sequences_are_single_tokens():
    for emoji in ["👨‍👩‍👧‍👦", "👍🏽", "🇮🇩", "🏳️‍🌈", "e\u0301"]:
        assert words(f"a {emoji} b") == ["a", emoji, "b"], emoji


# -- sentences -------------------------------------------------------------------------------


def starts_text(text: str) -> list[str]:
    tokens = tokenize(text)
    return [text[tokens[i][0]:tokens[i][1]] for i in sentence_starts(text, tokens)]


@SETTINGS
@given(hostile_text)
def test_line_break_always_starts_a_sentence(text):
    tokens = tokenize(text)
    starts = sentence_starts(text, tokens)
    assert starts == sorted(set(starts))
    if tokens:
        assert starts[0] == 0
    for i in range(1, len(tokens)):
        if "\n" in text[tokens[i - 1][1]:tokens[i][0]]:
            assert i in starts, f"token {i} follows a line break but does not start a sentence"
    spans = sentences(text, tokens)
    assert sum(e - s for s, e in spans) == len(tokens)


def sentence_starts_token_by_token(text: str, tokens) -> list[int]:
    """The sentence rule read at every token, as ``sentence_starts`` was written before it looked only
    at the tokens after a full stop or a line break: the reference it must equal."""
    ends, closers, openers = frozenset(".!?…"), frozenset("\"'”’)]»"), frozenset("\"“'‘(")
    abbreviations = tokens_module._ABBREVIATIONS
    starts, pending = ([0] if tokens else []), False
    for i in range(1, len(tokens)):
        (prev_start, prev_end), (start, end) = tokens[i - 1], tokens[i]
        prev = text[prev_start:prev_end]
        if set(prev) <= ends:
            before = text[tokens[i - 2][0]:tokens[i - 2][1]] if i >= 2 else ""
            pending = prev != "." or not (before in abbreviations or (len(before) == 1 and before.isupper()))
        elif not (pending and set(prev) <= closers and prev_start == tokens[i - 2][1]):
            pending = False
        glued_closer = start == prev_end and set(text[start:end]) <= closers
        if "\n" in text[prev_end:start] or (pending and not glued_closer and (
                text[start].isupper() or text[start].isdigit() or text[start] in openers)):
            starts.append(i)
            pending = False
    return starts


PROSE = st.lists(st.sampled_from(["Budi", "pergi", "Dr", "H", "PBB", "5.000", "3", ".", "..", "!", "?", "…", '"',
                                  "“", "”", "'", ")", "(", "»", " ", " ", "\n", "\n\n", "\r\n", "", "a.b"]),
                 max_size=60).map("".join)


@SETTINGS
@given(st.one_of(PROSE, hostile_text))
def test_sentence_starts_equal_the_rule_read_at_every_token(text):
    tokens = tokenize(text)
    assert sentence_starts(text, tokens) == sentence_starts_token_by_token(text, tokens)


def test_sentence_starts_equal_the_rule_on_the_seeds_and_dev_pages():
    from bench.devcorpus import pages
    from bench.pretag_check import texts

    for name, text in [*texts(["seeds"]), *((page.name, page.raw) for page in pages("dev"))]:
        tokens = tokenize(text)
        assert sentence_starts(text, tokens) == sentence_starts_token_by_token(text, tokens), name


def test_sentence_after_glued_full_stop():
    assert starts_text("Nikol Pashinian.Rusia telah mensponsori") == ["Nikol", "Rusia"]


def test_abbreviation_does_not_end_a_sentence():
    assert starts_text("Menurut Dr. Budi, perang berlanjut.") == ["Menurut"]


def test_line_without_full_stop_ends_a_sentence():
    assert starts_text("Negosiasi Berjalan Secara Intensif\nFOTO: Kerusakan") == ["Negosiasi", "FOTO"]
    assert starts_text("judul\r\nisi") == ["judul", "isi"]


def test_full_stop_then_lowercase_does_not_split():
    assert starts_text("Perang di Nagorno Karabakh . Kesepakatan ini terjadi. lalu") == ["Perang", "Kesepakatan"]


def test_closing_quote_after_full_stop():
    assert starts_text('"Kami siap." Lalu dia pergi.') == ['"', "Lalu"]


def test_every_combining_mark_stays_with_its_letter():
    """The tokenizer's mark table covers all of Unicode's combining marks (Mn, Mc, Me)."""
    import sys

    marks = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)).startswith("M")]
    assert len(marks) > 2000
    text = " ".join("a" + m for m in marks)
    tokens = tokenize(text)
    assert len(tokens) == len(marks)
    assert all(e - s == 2 for s, e in tokens)


# -- the compiled tokenizer equals the regular expression ------------------------------------

# Text dense in what the rules decide on: number separators, addresses, initialisms, outlet
# domains, apostrophes, hyphens (reduplication), marks (also above U+FFFF), joiners, flags,
# odd spaces, and letters whose lower case is longer (İ).
RULE_FRAGMENTS = [
    "a", "Z", "0", "9", "٣", "²", " ", ".", ",", ":", "/", "'", "’", "-", "_", "\n", "\t", "(", ")", "<", ">",
    '"', "!", "?", "https://", "http://", "www.", ".com", ".co.id", ".go.id", ".id", ".net", ".org", "D.C",
    "A.S.", "x.y", "baru-baru", "besar-besaran", "Baru-baru", "İ-i", "\u0301", "\u200d", "\U0001f1e6",
    "\U0001f1ff", "\U0001f44d", "\U0001f3fb", "\u0e31", "\U00011000", "\U000e0100", "\ufe0f", "\u00a0",
    "\u3000", "\u2028", "ก", "ß", "Jum'at",
]
rule_text = st.lists(st.sampled_from(RULE_FRAGMENTS), max_size=30).map("".join)
def test_the_install_built_the_compiled_tokenizer():
    """Without it imports would run 2.5 times slower."""
    assert_extension_built("_tokens", tokens_module.TOKENS_ABI)
    assert tokens_module.compiled is not None


needs_compiled = pytest.mark.skipif(tokens_module.compiled is None,
                                    reason="the C tokenizer was not built (no C compiler): the regex serves alone")


@needs_compiled
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rule_text, hostile_text))
def test_compiled_tokenizer_equals_the_regex(text):
    expected = tokenize_re(text)
    assert tokens_module.compiled.spans(text) == expected
    assert tokens_module.compiled.spans_json(text) == tokens_json(expected)


@needs_compiled
def test_compiled_tokenizer_on_the_seeds_and_a_long_page():
    from conftest import SEEDS_DIR

    pages = [p.read_text("utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    for text in [*pages, "\n".join(pages) * 40]:
        assert tokens_module.compiled.spans(text) == tokenize_re(text)


@needs_compiled
@settings(max_examples=1000, deadline=None)
@given(st.one_of(rule_text, hostile_text), st.data())
def test_compiled_layout_equals_the_plain_one(text, data):
    """spaCy's words on the tokens, compiled as in Python: on a text's tokens, on some of them (gaps that
    hold words), and on tokens read from JSON (lists)."""
    tokens = tokenize(text)
    some = sorted(data.draw(st.sets(st.sampled_from(tokens)))) if tokens else []
    for these in (tokens, some, [list(pair) for pair in tokens]):
        assert tokens_module.compiled.layout(text, these) == tokens_module.spacy_layout_plain(text, these)


def test_without_the_compiled_tokenizer_the_regex_serves(monkeypatch):
    text = "Gencatan senjata di Nagorno-Karabakh berminggu-minggu, 26/10/2020 👍🏽."
    expected = tokenize(text)
    monkeypatch.setattr(tokens_module, "compiled", None)
    assert tokenize(text) == expected
    assert tokenize_json(text) == tokens_json(expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**18), st.integers(0, 10**18)), max_size=40))
def test_stored_tokens_read_back(pairs):
    """The stored form reads back exactly, and so does the same JSON as another writer spaces it."""
    import json

    assert tokens_from_json(tokens_json(pairs), "d") == pairs
    assert tokens_from_json(json.dumps(pairs), "d") == pairs
    assert tokens_from_json(json.dumps(pairs, indent=1), "d") == pairs


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1)), max_size=40))
def test_stored_tokens_read_back_as_offset_arrays(pairs):
    """What the article view holds (two arrays of C ints) reads back the stored form exactly, compiled
    or not, and reads as the list of pairs would."""
    import json

    for stored in (tokens_json(pairs), json.dumps(pairs), json.dumps(pairs, indent=1)):
        offsets = TokenOffsets.from_json(stored, "d")
        assert offsets == pairs and list(offsets) == pairs and len(offsets) == len(pairs)
        assert [offsets[i] for i in range(len(pairs))] == pairs and offsets[1:3] == pairs[1:3]


def test_stored_tokens_that_are_not_offsets_are_one_line_errors(monkeypatch):
    for compiled in (tokens_module.compiled, None):
        monkeypatch.setattr(tokens_module, "compiled", compiled)
        for stored in ("[[0, 1], [2]]", "{}", "[[0,1],[2,99999999999]]"):
            with pytest.raises(TandaiError, match="^article d: "):
                TokenOffsets.from_json(stored, "d")


def test_token_index_at_an_offset():
    offsets = TokenOffsets.of([(0, 3), (4, 9), (9, 10)])
    assert [offsets.index_at(i) for i in range(12)] == [0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2]
