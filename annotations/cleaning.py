"""Cleaning a raw scraped news page: furniture out, every sentence of the article kept, and the
headline, publication date and outlet read off the page.

Strings that outlets print (share buttons, banners, credits, roles, month
spellings, outlet names) are data in ``data/cleaning.toml``; this module
reads the page's layout, which holds across outlets: labels and a byline
block sit above the first paragraph, lists of links hang under a heading
(and end where a subheading, a sentence or a live report's time stamp
begins), related headlines trail the last sentence. Prose is never dropped by
layout: only a line without the form of a sentence is, or one a narrow rule
names; in doubt a line stays.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import islice
from importlib import resources
from typing import Any

from .gazetteer import place_names
from .indonesian import MONTHS, WEEKDAYS

# The last character of a line with the form of a sentence (a caption's credit ends in a bracket).
_SENTENCE_END = tuple('.!?"”’\')…:')
# Lines kept as related headlines end without one, and have at most this many words.
_LIST_ITEM_WORDS = 16
# A label, byline name or button above the article: at most this many words.
_LABEL_WORDS = 4
# A headline has at least this many words (labels above it have fewer), unless no line has.
_HEADLINE_WORDS = 5
# A paragraph (where the article's text starts, when no dateline says so) has at least this many words.
_PARAGRAPH_WORDS = 8
# A dateline is found among this many lines of text from the top, and among this many paragraphs
# (a deck and a caption may come first; a dash later on is in the text).
_DATELINE_LINES = 40
_DATELINE_PARAGRAPHS = 3
# A photo credit at the end of a caption has at most this many characters.
_CREDIT_CHARS = 80
# A date line (bylines and stamp) has at most this many.
_DATE_LINE_CHARS = 120
# A line cut short for a share button ends with one of these.
_CUT = ("...", "…")
# The endings of furniture lines ("klik di sini") are looked for in this many last characters.
_ENDING_CHARS = 32

_WORD = re.compile(r"[^\W\d_]")
_LETTERS = re.compile(r"[^\W\d_]{3,}")  # a word of three letters or more
# A numbered or bulleted list item: "1. ", "2) ", "- ", "• ".
_ITEM_MARK = re.compile(r"(?:\d{1,2}[.)]|[-–•·*▪►])\s")
# A clock time alone on its line, as a live report stamps each entry: "17.30 WIB".
_CLOCK = re.compile(r"\d\d?[.:]\d\d(?:\s*(?:WIB|WITA|WIT))?")
# A subheading under a list is told about in this many lines after it; one of at most
# _SUBHEADING_WORDS words is too short for a related story's headline.
_SECTION_LINES = 2
_SUBHEADING_WORDS = 3
_YEAR = re.compile(r"\d{4}")
# Where a menu row's items part: separators, or spaces.
_MENU_SPLIT = re.compile(r"\s*[|•·/»›>]\s*|\s+")
# "GANJA, KOMPAS.com - Kota ...", "Gaza (ANTARA) - ...", "Jakarta, CNN Indonesia -- ...", "MOSKOW - ...":
# a place or outlet of at most five words, a dash with a space on one side, then the paragraph,
# capitalised ("Ahmad Yusuf - seorang warga - mengatakan" is no dateline); a caption's "Ilustrasi - " is none.
_DATELINE = re.compile(r"(?!(?i:ilustrasi|foto|dok)\b)[A-Z][\w.+'’]*(?:[ ,]+\(?[\w.+'’]+\)?){0,4}(?:\s+(?:-{1,2}|–|—)\s*|(?:-{1,2}|–|—)\s+)(?=[A-Z\"“'‘(\d])")
# A photo caption ends with its credit: "(AFP/ARIS MESSINIS)", "REUTERS/Stringer", "Foto/Ilustrasi/Sindonews",
# or a sentence then "Foto: AFP"
# (letters on both sides of the slash: "Senin (26/10)." ends a sentence).
_CAPTION = re.compile(r"(?:\([^()]*[^\W\d_]\s*/\s*[^\W\d_][^()]*\)|\((?i:foto|photo|dok)\b[^()]*\)|\b[A-Z][\w.-]*(?: [A-Z][\w.-]*)?/[\w .'/-]+"
                      r"|[.!?]\s+(?i:foto|photo|dok)\.?\s*:\s*[^\W\d_][\w .,'/&-]{0,60})\.?$")
# Text that cites another outlet as a source just before naming it.
_CITED = re.compile(r"(?i)\b(?:dikutip|mengutip|kutip|dilansir|melansir|lansir|diberitakan|memberitakan|dilaporkan"
                    r"|melaporkan|menurut|sumber|via|laman|situs|kepada|tayang)\b[^.\n]{0,30}$")
_COPYRIGHT = re.compile(r"(?i)©|\(c\)|copyright|hak cipta")
_CITED_CHARS = 60
# ASCII letters and digits, and every byte of a non-ASCII character, stay; the rest become spaces.
_WORD_BYTES = bytes(b if b in b"0123456789abcdefghijklmnopqrstuvwxyz" or b >= 0x80 else 0x20 for b in range(256))  # a citing verb this close before the name


def _scoped(pattern: str) -> str:
    """Turn a leading (?i) into a scoped group so rules can be joined into one regex."""
    return f"(?i:{pattern[4:]})" if pattern.startswith("(?i)") else f"(?:{pattern})"


def _either(patterns: list[str]) -> str:
    return "|".join(_scoped(p) for p in patterns)


@dataclass(frozen=True)
class CleaningRules:
    # A whole line to drop (one match per line): the group "heading" is set for a list's heading,
    # "byline" for a byline; lines longer than short_line are only matched against drop_long.
    drop: re.Pattern[str]
    drop_long: re.Pattern[str]
    short_line: int
    endings: tuple[str, ...]  # how lines of furniture end (lowercase)
    role: re.Pattern[str]  # "role: value" inside a byline or date line
    inline: re.Pattern[str]  # furniture inside a line, cut with the space before it
    stamp: re.Pattern[str]
    date_words: frozenset[str]  # lowercase words a date line may hold besides names
    weekdays: frozenset[str]
    prefer: re.Pattern[str]
    zones: dict[str, str]
    months: dict[str, int]
    # (literal string, outlet, matched in any case), longest first
    outlets: tuple[tuple[str, str, bool], ...]
    # an outlet string's first word (as _words_of gives it) -> its places in ``outlets``
    outlet_words: dict[bytes, tuple[int, ...]]
    outlet_firsts: frozenset[bytes]  # the keys of outlet_words
    outlet_names: frozenset[str]  # the listed outlets' canonical names
    outlet_listed: dict[str, str]  # a listed outlet's name or spelling, in lower case -> its canonical name
    outlet_stems: dict[str, tuple[str, ...]]  # an outlet string's stem (see outlet_stem) -> the outlets it may be
    site: re.Pattern[str]  # a web address
    naming: tuple[re.Pattern[str], ...]  # lines naming the page's outlet in words (group "outlet")
    site_line: re.Pattern[str]  # a line that is a web address, perhaps with a tagline (group "outlet")
    masthead: re.Pattern[str]  # a name in words with its tagline (group "outlet")
    company: re.Pattern[str]  # a company's copyright line (group "company")
    footer: re.Pattern[str]  # a footer link with the outlet's name (group "outlet")
    title_max_chars: int
    function_words: frozenset[str]  # words that say nothing of what a line is about (lowercase)
    menu_words: frozenset[str]  # section names of a site's menu (lowercase)


def _stamp(months: dict[str, int]) -> re.Pattern[str]:
    """Day, month (name or number) and year, then perhaps a time and an Indonesian time zone."""
    month = "|".join(sorted(months, key=len, reverse=True))
    date = (rf"(?P<day>\d\d?)\s+(?P<month>{month})\.?,?\s+(?P<year>\d{{4}})"
            rf"|(?P<month_first>{month})\.?\s+(?P<day_after>\d\d?),?\s+(?P<year_after>\d{{4}})"
            r"|(?P<nday>\d\d?)[/.-](?P<nmonth>\d\d?)[/.-](?P<nyear>\d{4})"
            r"|(?P<iyear>\d{4})-(?P<imonth>\d\d)-(?P<iday>\d\d)")
    time = r"(?:\s*[-,|/]?\s*(?:pukul\s+|jam\s+)?(?P<hour>\d\d?)[:.](?P<minute>\d\d)(?:[:.]\d\d)?(?:\s*(?P<zone>WITA|WIB|WIT)\b)?)?"
    return re.compile(rf"(?i)\b(?:{date})\b{time}")


@cache
def cleaning_rules() -> CleaningRules:
    data = tomllib.loads(resources.files("annotations.data").joinpath("cleaning.toml").read_text("utf-8"))
    name = data["names"]["name"]
    roles = "|".join(data["bylines"]["roles"])
    groups = dict(data["drop"])
    endings, short_line, long = groups.pop("endings"), groups.pop("short_line"), groups.pop("long")
    site = data["naming"]["site"]
    long = [p.replace("{site}", site) for p in long]
    drop = [p.replace("{name}", name).replace("{site}", site) for group in groups.values() for p in group] + long
    byline = _either([p.replace("{role}", roles).replace("{name}", name) for p in data["bylines"]["lines"]])
    months = {m.lower(): n for m, n in MONTHS.items()} | data["date"]["months"]
    outlets = sorted(((needle, outlet, needle.islower()) for outlet, needles in data["outlets"].items()
                      for needle in needles), key=lambda o: -len(o[0]))
    outlet_words: dict[bytes, list[int]] = {}
    stems: dict[str, list[str]] = {}
    for at, (needle, outlet, _) in enumerate(outlets):
        outlet_words.setdefault(_words_of(needle.lower()).split()[0], []).append(at)
        if outlet not in stems.setdefault(outlet_stem(needle), []):
            stems[outlet_stem(needle)].append(outlet)
    naming = data["naming"]
    outlet = f"(?P<outlet>{site}|{naming['name']})"
    return CleaningRules(
        drop=re.compile(f"(?P<heading>{_either(data['lists']['headings'])})|(?P<byline>{byline})|{_either(drop)}"),
        drop_long=re.compile(f"(?P<heading>(?!))|(?P<byline>(?!))|{_either(long)}"),  # the same groups
        short_line=short_line,
        endings=tuple(endings),
        role=re.compile(rf"(?i)\b(?P<role>{roles})\s*:\s*(?P<value>[^:|/]+?)\s*(?=$|[|/,]\s*\w+\s*:|\|)"),
        inline=re.compile(_either(data["inline"]["rules"])),
        stamp=_stamp(months),
        date_words=frozenset(data["date"]["words"]) | frozenset(data["bylines"]["roles"]),
        weekdays=frozenset(w.lower() for w in WEEKDAYS),
        prefer=re.compile(data["date"]["prefer"]),
        zones=data["date"]["zones"],
        months=months,
        outlets=tuple(outlets),
        outlet_words={word: tuple(places) for word, places in outlet_words.items()},
        outlet_firsts=frozenset(outlet_words),
        outlet_names=frozenset(data["outlets"]),
        outlet_listed={name.lower(): outlet for outlet, needles in data["outlets"].items()
                       for name in (outlet, *needles)},
        outlet_stems={stem: tuple(outlets) for stem, outlets in stems.items()},
        site=re.compile(rf"(?<![\w.]){site}"),
        naming=tuple(re.compile(p.replace("{outlet}", outlet)) for p in naming["lines"]),
        site_line=re.compile(naming["site_line"].replace("{site}", site)),
        masthead=re.compile(naming["masthead"].replace("{outlet}", f"(?P<outlet>{naming['name']})")),
        company=re.compile(naming["company"]),
        footer=re.compile(naming["footer"].replace("{outlet}", outlet)),
        title_max_chars=data["title"]["max_chars"],
        function_words=frozenset(data["lists"]["function_words"]),
        menu_words=frozenset(data["menus"]["words"]),
    )


# Runs of spaces and odd spaces (tab, no-break) become one space; single plain spaces are left alone.
# Plain string replacements only: a pattern that can start at a space is tried
# at every space of the page (a " {2,}" substitution cost more than all of them).
_ODD_SPACES = "\t\u00a0\u2007\u202f"


def _cut_inline(text: str, inline: re.Pattern[str]) -> str:
    """The text without the furniture inside its lines, each cut with the one space (not a line
    break) before it."""
    parts: list[str] = []
    at = 0
    for found in inline.finditer(text):
        start = found.start()
        if start > at and text[start - 1] != "\n" and text[start - 1].isspace():
            start -= 1
        parts.append(text[at:start])
        at = found.end()
    return "".join(parts) + text[at:] if parts else text


def normalise_spaces(text: str) -> str:
    for odd in _ODD_SPACES:
        text = text.replace(odd, " ")
    while "  " in text:  # each pass halves every run of spaces
        text = text.replace("  ", " ")
    return text


@dataclass
class CleanPage:
    """What cleaning a page gives: the article's text and what the page says about it."""

    text: str
    title: str
    published: str | None
    source: str | None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stamp:
    """A date printed on the page: ISO date, ISO date-time (with zone when printed), line number."""

    date: str
    at: str | None
    line: int
    preferred: bool


def _words(line: str) -> int:
    """Words with a letter in them ("Novi Christiastuti - detikNews" has three). A word starting with
    a letter has one: only the few others ("-", "2020", "(AFP)") are searched."""
    words = line.split()
    return len(words) - len([word for word in words if not word[0].isalpha() and not _WORD.search(word)])


def _is_sentence(line: str) -> bool:
    return line.endswith(_SENTENCE_END)


# A run of spaces or a tab inside a line, where a scraper joined a menu's items.
_SPACE_RUN = re.compile(r"[ \t\u00a0\u2007\u202f]{2,}|\t")
# A separator between a menu's or a breadcrumb's items, with a space on each side.
_SEPARATOR = re.compile(r" ([|•·»›>/–—-]) ")
# A menu has at least this many items, each of at most _MENU_ITEM_WORDS words.
_MENU_ITEMS = 3
_MENU_ITEM_WORDS = 3
_DIGIT = re.compile(r"\d")  # no menu's row of words holds a number
# Punctuation of prose, which no menu item holds.
_PROSE_MARKS = frozenset(',;:!?"“”‘’')


def _spaced_rows(text: str) -> dict[int, list[str]]:
    """Line number -> items, for the lines whose items a run of spaces or a tab parts, three or more
    ("Beranda   Nasional   Internasional"): read before spaces are normalised, as the runs go then."""
    if not _SPACE_RUN.search(text):
        return {}
    rows = {}
    for n, line in enumerate(text.split("\n")):
        items = _SPACE_RUN.split(line.strip())
        if len(items) >= _MENU_ITEMS:
            rows[n] = items
    return rows


def _menu_items(line: str) -> list[str]:
    """A line's items when one separator parts it twice or more ("Home | News | Dunia")."""
    found = _SEPARATOR.findall(line)
    if len(found) < _MENU_ITEMS - 1:
        return []
    separator, count = Counter(found).most_common(1)[0]
    return [item.strip() for item in line.split(f" {separator} ")] if count >= _MENU_ITEMS - 1 else []


def _is_nav_item(item: str) -> bool:
    """A menu's or breadcrumb's item: a few words, each capitalised (or "&"), or all in lower case, no
    prose punctuation."""
    words = item.split()
    return (0 < len(words) <= _MENU_ITEM_WORDS and not _PROSE_MARKS.intersection(item)
            and not item.endswith(".") and (item.islower() or all(
                word == "&" or word[0].isupper() or word[0].isdigit() and not word.isdigit() for word in words)))


def _is_menu_shaped(line: str, items: list[str] | None) -> bool:
    """A site's menu by its shape: three items or more that runs of spaces (``items``, as read before
    they were normalised) or one repeated separator part, each a few capitalised (or lowercase) words."""
    items = items or _menu_items(line)
    return len(items) >= _MENU_ITEMS and all(_is_nav_item(item) for item in items)


def _is_menu_row(line: str, rules: CleaningRules) -> bool:
    """A site's navigation menu on one line: four items or more, two at least section names
    (``[menus]`` in cleaning.toml), at most a third of them neither section names nor places."""
    if _is_sentence(line):
        return False
    items = [item for item in _MENU_SPLIT.split(line.lower()) if item and item != "&"]
    if len(items) < 4:
        return False
    sections = sum(1 for item in items if item in rules.menu_words)
    if sections < 2:
        return False
    places = place_names()
    return 3 * sum(1 for item in items if item not in rules.menu_words and item not in places) <= len(items)


def is_caption(line: str) -> bool:
    """A photo caption: a line ending with its photo credit."""
    tail = max(0, len(line) - _CREDIT_CHARS)  # a credit is short: the whole line need not be searched
    return ("/" in line[tail:] or ")" in line[tail:] or ":" in line[tail:]) and _CAPTION.search(line, tail) is not None


def is_dateline(line: str) -> re.Match[str] | None:
    """The place-and-outlet opening of a paragraph ("Jakarta, CNN Indonesia -- "), if the line has one."""
    if not _is_sentence(line):
        return None
    found = _DATELINE.match(line)
    return found if found and len(line.split()) >= _PARAGRAPH_WORDS else None


def clean(raw: str) -> CleanPage:
    """Clean a raw scraped page: the article's lines, its title, date and outlet."""
    rules = cleaning_rules()
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _cut_inline(text, rules.inline)
    spaced = _spaced_rows(text)
    text = normalise_spaces(text)
    lines = [line.strip() for line in text.split("\n")]
    keep = [False] * len(lines)
    meta: dict[str, Any] = {}
    stamps: list[Stamp] = []
    items: list[int] = []  # the lines of the list under the last list heading
    in_list = False
    for n, line in enumerate(lines):
        if not line:
            in_list = False
            continue
        drop = (rules.drop if len(line) <= rules.short_line else rules.drop_long).fullmatch(line)
        if drop and drop["heading"] is not None:
            _keep_subheading(lines, keep, items, rules)
            in_list, items = True, []
            continue
        if in_list and _is_list_item(line, lines, items):
            items.append(n)
            continue
        in_list = False
        if drop or line[-_ENDING_CHARS:].lower().rstrip(".!:").endswith(rules.endings):
            if drop and drop["byline"] is not None:  # "Oleh: Ani - 4 Maret 2024" dates the page too
                _read_roles(line, rules, meta)
                stamps.extend(date_line(line, n, rules))
            continue
        found = date_line(line, n, rules)
        if found:
            stamps.extend(found)
            _read_roles(line, rules, meta)
            continue
        if len(line) <= rules.short_line and _is_menu_row(line, rules):
            continue
        keep[n] = True
    _keep_subheading(lines, keep, items, rules)
    headline, source = _read_top(lines, keep, meta, rules, spaced)
    _drop_copies(lines, keep)
    _drop_trailing_lists(lines, keep)
    body = _join(lines, keep)
    published, published_at = _choose(stamps) if stamps else _stamp_elsewhere(lines, rules)
    if published_at:
        meta["published_at"] = published_at
    dropped = sum(1 for line, kept in zip(lines, keep) if line and not kept)
    if dropped:
        meta["dropped_lines"] = dropped
    title = headline if headline else make_title(body, rules.title_max_chars)
    return CleanPage(text=body, title=title, published=published, source=source, meta=meta)


def _is_list_item(line: str, lines: list[str], items: list[int]) -> bool:
    """A link or tag under a list heading: short and no sentence (a headline cut short with an
    ellipsis is none, nor one that asks a question: "Mengapa Geng Menguasai Port-au-Prince?");
    numbered or bulleted when the list's first item is; never a clock time alone, which opens a
    live report's next entry."""
    if (_is_sentence(line) and not line.endswith(_CUT) and not line.endswith("?") or _words(line) > _LIST_ITEM_WORDS
            or _CLOCK.fullmatch(line)):
        return False
    return not items or not _ITEM_MARK.match(lines[items[0]]) or bool(_ITEM_MARK.match(line))


def _keep_subheading(lines: list[str], keep: list[bool], items: list[int], rules: CleaningRules) -> None:
    """Keep the last line under a list heading if it is the subheading of the text that follows.

    A list heading has at least one link under it, so only a later line can
    be a subheading; one names what the paragraphs after it tell, so at least
    half of its words are found there, while a related story's headline
    shares a name or two at most; and a headline says who did what in more
    words than a subheading such as "Reaksi Dunia" needs. In doubt the line
    stays: a related headline kept is a lesser fault than a subheading lost.
    Under a numbered or bulleted list every line is a link (an unmarked line
    already ended the list).
    """
    if len(items) < 2 or _ITEM_MARK.match(lines[items[0]]):
        return
    last = items[-1]
    if rules.drop.fullmatch(lines[last]):  # a box's end ("Akhir dari Podcast") is no subheading
        return
    after = list(islice((n for n in range(last + 1, len(lines)) if lines[n]), _SECTION_LINES))
    if not after or not keep[after[0]]:
        return  # what follows the list is no text of the article
    if _words(lines[last]) <= _SUBHEADING_WORDS:
        keep[last] = True
        return
    words = _content_words(lines[last], rules)
    told = _content_words(" ".join(lines[n] for n in after if keep[n]), rules)
    if words and 2 * len(words & told) >= len(words):
        keep[last] = True


def _content_words(text: str, rules: CleaningRules) -> set[str]:
    return {word for word in _LETTERS.findall(text.lower()) if word not in rules.function_words}


def _drop_copies(lines: list[str], keep: list[bool]) -> None:
    """Drop a kept line of four words or more printed again (a photo caption, the headline) or cut
    short for a share button or a breadcrumb (above or below the line it cuts); the first copy stays."""
    long = [n for n, kept in enumerate(keep) if kept and lines[n].count(" ") >= 3]
    whole = {lines[n] for n in long if not lines[n].endswith(_CUT)}
    seen: set[str] = set()
    for n in long:
        line = lines[n]
        if line in seen or line.endswith(_CUT) and _cut_copy(line, whole):
            keep[n] = False
        else:
            seen.add(line)


def _cut_copy(line: str, whole: set[str]) -> bool:
    """A line cut short with an ellipsis that begins another line of the page (the headline again,
    shortened for a share button)."""
    stem = line.rstrip(".…").rstrip()
    return any(other.startswith(stem) for other in whole)


def _join(lines: list[str], keep: list[bool]) -> str:
    """Kept lines, a blank line (one) wherever the page had blank or dropped lines between paragraphs."""
    out: list[str] = []
    gap = False
    for line, kept in zip(lines, keep):
        if kept:
            if gap and out:
                out.append("")
            out.append(line)
            gap = False
        elif not line:
            gap = True
    return "\n".join(out)


def _read_roles(line: str, rules: CleaningRules, meta: dict[str, Any]) -> None:
    """Who wrote and edited the article, from a byline: "Rep: A/ Red: B" -> reporter A, editor B."""
    for found in rules.role.finditer(line):
        role = {"rep": "reporter", "red": "editor"}.get(found["role"].lower(), found["role"].lower())
        meta.setdefault(role, found["value"].strip())


def _read_top(lines: list[str], keep: list[bool], meta: dict[str, Any], rules: CleaningRules,
              spaced: dict[int, list[str]]) -> tuple[str | None, str | None]:
    """Drop the labels and byline names above the article; return its headline and its outlet.

    The article starts at its dateline, one of its first paragraphs (or,
    without one, at its first paragraph that is not a caption). Above it, the headline is the first line
    of five words or more that is neither a sentence nor a caption (else the
    longest of three or four words); lines
    above the headline are section labels, breadcrumbs or the outlet's name
    unless they are captions or sentences, and short lines below it are
    bylines and buttons (and bylines that end with the outlet, "News - Rindi
    Salsabila, CNBC Indonesia"). The outlet's masthead with its tagline ("Sumut Pos -
    Koran Terbesar di Sumatera Utara") is no headline, nor the page's title
    ("<headline> - Sumut Pos") above the headline, nor a site's menu (see
    _menus), nor a kicker directly above the headline (see _below_kicker).
    ``spaced`` holds the lines whose items runs of spaces part (_spaced_rows).
    """
    text = [n for n, kept in enumerate(keep) if kept]
    paragraphs = list(islice((n for n in text if _is_sentence(lines[n]) and _words(lines[n]) >= _PARAGRAPH_WORDS
                              and not is_caption(lines[n])), _DATELINE_PARAGRAPHS))
    dateline = next((n for n in paragraphs if is_dateline(lines[n])), None)
    start = dateline if dateline is not None else (paragraphs[0] if paragraphs else None)
    keys = _OutletKeys(lines, rules)
    source = _outlet(lines, dateline, rules, keys)
    if start is None:
        return None, source
    top = [n for n in text if n < start]
    prose = cache(lambda: _content_words(" ".join(lines[n] for n in paragraphs), rules))
    menus = _menus(lines, top, spaced, prose, rules)
    candidates = [n for n in top if n not in menus and not lines[n].endswith(".") and not is_caption(lines[n])
                  and not _is_masthead(lines[n], source, rules)]
    headline = next((n for n in candidates if _words(lines[n]) >= _HEADLINE_WORDS), None)
    if headline is None:  # a short headline: the longest line that is not a one- or two-word label
        headline = max((n for n in candidates if _words(lines[n]) > 2), key=lambda n: (_words(lines[n]), n),
                       default=None)
    if headline is not None:  # the page's title as a browser shows it, "<headline> - Sumut Pos", above it
        headline = next((n for n in candidates if n > headline and _title_of(lines[headline], lines[n])), headline)
        headline = _below_kicker(headline, lines, candidates, prose, rules)
    labels = []
    for n in top:
        line = lines[n]
        if n in menus:
            keep[n] = False
            continue
        if headline is not None and n < headline:
            if not is_caption(line) and not (_is_sentence(line) and _words(line) > _LABEL_WORDS):
                keep[n] = False
                labels.append(line)
        elif n != headline and not _is_sentence(line) and not is_caption(line) and (
                _words(line) <= _LABEL_WORDS or _signed_byline(line, source, keys)):
            keep[n] = False
    if labels:
        meta["section"] = " > ".join(labels)
    return (lines[headline] if headline is not None else None), source


def _menus(lines: list[str], top: list[int], spaced: dict[int, list[str]], prose: Callable[[], set[str]],
           rules: CleaningRules) -> set[int]:
    """The lines above the text that are a site's menu, by their shape and place, whatever its section
    names. A headline's words are repeated by the first paragraphs (``prose()``, their content words);
    a menu's are not, or less than those of a line below it. So a menu is: items parted by runs of
    spaces or a repeated separator (_is_menu_shaped) of which the first paragraphs hold a quarter at
    most, or fewer than of a line below; or a row of capitalised words parted by single spaces
    (_is_word_row) of which they hold a quarter at most, and fewer than of a line below (that may be
    a headline: _may_head)."""
    told: dict[int, int] = {}

    def told_of(n: int) -> int:
        if n not in told:
            told[n] = len(_content_words(lines[n], rules) & prose())
        return told[n]

    menus = set()
    for n in top:
        shaped = _is_menu_shaped(lines[n], spaced.get(n))
        if not shaped and not (_is_word_row(lines[n], rules) and _words(lines[n]) > _MENU_ITEMS):
            continue
        few = 4 * told_of(n) <= len(_content_words(lines[n], rules))
        if shaped and few or (few or shaped) and any(
                m > n and _may_head(lines[m]) and told_of(m) > told_of(n) for m in top):
            menus.add(n)
    return menus


def _may_head(line: str) -> bool:
    """Whether a line may be a headline: three words or more, one phrase, neither a sentence nor a
    caption (a caption or a deck repeats the text as much as a headline does)."""
    return (_words(line) > 2 and not line.endswith(".") and not _SENTENCE_BREAK.search(line)
            and not is_caption(line))


def _is_word_row(line: str, rules: CleaningRules) -> bool:
    """A row of capitalised words (or "&"), or of words all in lower case ("beranda nasional dunia"),
    none a function word or a number, no prose punctuation."""
    words = [word for word in line.split() if word != "&"]
    if not (all(word[0].isupper() for word in words) or line.islower()):  # most lines end here
        return False
    return not (_PROSE_MARKS.intersection(line) or _DIGIT.search(line)
                or any(word.lower() in rules.function_words for word in words))


def _below_kicker(headline: int, lines: list[str], candidates: list[int], prose: Callable[[], set[str]],
                  rules: CleaningRules) -> int:
    """The headline, when the line taken for it may be a kicker (a topic line over the headline) of
    five words or more: of two such lines one right above the other, the one the page prints again
    (its title, a share line cut short), else the lower one when the upper is in capitals or ends
    with a colon, or when it is printed as a headline (most words capitalised: a deck is not; one
    phrase: "Paragraf 0. Konflik ..." is none) and the first paragraphs repeat more of its words,
    or as many and it is the longer."""
    below = next((n for n in range(headline + 1, len(lines)) if lines[n]), None)
    if below not in candidates or _words(lines[below]) < _HEADLINE_WORDS or lines[below] == lines[headline]:
        return headline
    upper, lower = lines[headline], lines[below]
    others = [line for n, line in enumerate(lines) if line and n not in (headline, below)]
    echoed = [any(_echoes(line, head) for line in others) for head in (upper, lower)]
    if echoed[0] != echoed[1]:
        return below if echoed[1] else headline
    if not _is_headline_case(lower) or _SENTENCE_BREAK.search(lower):  # a deck, or more than one phrase
        return headline
    if upper.isupper() and not lower.isupper() or upper.endswith(":"):
        return below
    told = [len(_content_words(head, rules) & prose()) for head in (upper, lower)]
    if told[1] == told[0] > 0:  # as much of each in the text: a kicker is the shorter
        return below if _words(lower) > _words(upper) else headline
    return below if told[1] > told[0] else headline


# Where one sentence ends and another begins inside a line.
_SENTENCE_BREAK = re.compile(r"[.!?]\s")


def _echoes(line: str, headline: str) -> bool:
    """Whether a line prints the headline again: whole, as the page's title ("<headline> - Outlet"),
    or cut short for a share button."""
    if line == headline or _title_of(line, headline):
        return True
    return line.endswith(_CUT) and _cut_copy(line, {headline}) and _words(line) > 2


# What a page's title adds to its headline: a separator and the outlet's name.
_TITLE_SUFFIX = re.compile(r"\s+[-–—|]\s+\S.{0,40}")
_TITLE_PREFIX = re.compile(r".{0,40}\S\s+[-–—|]\s+")


def _title_of(line: str, headline: str) -> bool:
    """Whether a line is the page's title: the headline, then a separator and a short name, or the
    name first ("Radar Malang | <headline>")."""
    if len(line) <= len(headline):
        return False
    if line.startswith(headline):
        return _TITLE_SUFFIX.fullmatch(line, len(headline)) is not None
    return line.endswith(headline) and _TITLE_PREFIX.fullmatch(line, 0, len(line) - len(headline)) is not None


# A byline ending with the outlet's name: "News - Rindi Salsabila, CNBC Indonesia".
_BYLINE_OUTLET = re.compile(r"\S.{0,60}?\s*[,|–—-]\s*(?P<outlet>[^,|–—-]{2,40})")
_BYLINE_WORDS = 8


def _signed_byline(line: str, source: str | None, keys: _OutletKeys) -> bool:
    """Whether a short line below the headline is a byline that ends with the page's own outlet."""
    found = source and _words(line) <= _BYLINE_WORDS and _BYLINE_OUTLET.fullmatch(line)
    return bool(found) and keys.key(found["outlet"].strip()) in (source, outlet_stem(source))


def _is_masthead(line: str, source: str | None, rules: CleaningRules) -> bool:
    """Whether a line is the page's outlet's name with its tagline."""
    found = source and rules.masthead.fullmatch(line)
    return bool(found) and outlet_stem(found["outlet"]) == outlet_stem(source)


def _drop_trailing_lists(lines: list[str], keep: list[bool]) -> None:
    """Lines after the article's last sentence that are tags (a few words) or related headlines
    (short, no full stop, most words capitalised)."""
    last = next((n for n in range(len(lines) - 1, -1, -1) if keep[n] and _is_sentence(lines[n])
                 and _words(lines[n]) > _LABEL_WORDS), None)
    if last is None:
        return
    first = last + 1
    if lines[last].endswith(":"):  # the sentence announces a list: the lines right under it are the list
        while first < len(lines) and lines[first] and keep[first]:
            first += 1
    for n in range(first, len(lines)):
        line = lines[n]
        if keep[n] and not _is_sentence(line) and not is_caption(line) and (
                _words(line) <= _LABEL_WORDS or (_words(line) <= _LIST_ITEM_WORDS and _is_headline_case(line))):
            keep[n] = False


def _is_headline_case(line: str) -> bool:
    """Most words capitalised, as headlines are printed ("Junta Myanmar Perpanjang Status Darurat")."""
    words = line.split()
    return sum(1 for word in words if word[:1].isupper() or word[:1].isdigit()) * 2 > len(words)


def make_title(text: str, max_chars: int = 160) -> str:
    """The headline: the first line, or the first sentence when the page has no headline line."""
    first = text.split("\n", 1)[0].strip()
    if len(first) > max_chars:
        sentence = re.match(r"(.+?[.!?])(\s|$)", first)
        first = sentence.group(1) if sentence and len(sentence.group(1)) <= max_chars else first
    if len(first) > max_chars:
        first = first[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return first or "(untitled)"


# -- dates ------------------------------------------------------------------------------------------


def _stamps_in(line: str, n: int, rules: CleaningRules, matches: list[re.Match[str]] | None = None) -> list[Stamp]:
    """The valid dates among the stamps found on a line (``matches``, if already searched for)."""
    found = []
    for m in rules.stamp.finditer(line) if matches is None else matches:
        if m["nyear"]:
            day, month, year = int(m["nday"]), int(m["nmonth"]), int(m["nyear"])
        elif m["iyear"]:
            day, month, year = int(m["iday"]), int(m["imonth"]), int(m["iyear"])
        elif m["month_first"]:
            day, month, year = int(m["day_after"]), rules.months[m["month_first"].lower()], int(m["year_after"])
        else:
            day, month, year = int(m["day"]), rules.months[m["month"].lower()], int(m["year"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        date = f"{year:04d}-{month:02d}-{day:02d}"
        at = None
        if m["hour"] and int(m["hour"]) < 24:
            zone = rules.zones[m["zone"].upper()] if m["zone"] else ""
            at = f"{date}T{int(m['hour']):02d}:{m['minute']}{zone}"
        found.append(Stamp(date, at, n, bool(rules.prefer.search(line))))
    return found


def date_line(line: str, n: int = 0, rules: CleaningRules | None = None) -> list[Stamp]:
    """The dates on a date line (empty if the line is not one).

    A date line holds a date and, besides it, only names, a weekday, roles
    and words such as "diperbarui" (a caption's or a sentence's date has
    lowercase words around it). Without a time, a weekday or such a word must
    stand beside the date, so a headline with a date in it stays.
    """
    rules = rules or cleaning_rules()
    if len(line) > _DATE_LINE_CHARS or not _YEAR.search(line):
        return []
    matches = list(rules.stamp.finditer(line))
    stamps = _stamps_in(line, n, rules, matches)
    if not stamps:
        return []
    # the line with a space for each stamp (as a substitution would give, without a second search)
    ends = [0, *(at for m in matches for at in m.span()), len(line)]
    rest = [w.strip(".,:;|()[]-–—/'’") for w in " ".join(line[ends[i]:ends[i + 1]]
                                                         for i in range(0, len(ends), 2)).split()]
    words = [w for w in rest if w and _WORD.search(w)]
    if len(words) > 10:
        return []
    for word in words:
        if not (word[0].isupper() or word.lower() in rules.date_words):
            return []
    timed = any(stamp.at for stamp in stamps)
    if not timed and words and not any(w.lower() in rules.weekdays or w.lower() in rules.date_words for w in words):
        return []  # "Sejak 15 April 2023" is a subheading; "03 November 2022" alone is a date line
    return stamps


def _choose(stamps: list[Stamp]) -> tuple[str, str | None]:
    """The publication date: a stamp that says "published" first, then the one highest on the page."""
    best = min(stamps, key=lambda s: (not s.preferred, s.line))
    return best.date, best.at


def _stamp_elsewhere(lines: list[str], rules: CleaningRules) -> tuple[str | None, str | None]:
    """Without a date line: the first stamp with a time zone on a line that is neither a sentence nor
    a caption ("Diperbarui Senin, 26/10/2020 14:32 WIB · 3 menit baca")."""
    page = "\n".join(lines)
    if not any(zone in page for zone in rules.zones):  # zones are printed in capitals
        return None, None
    for n, line in enumerate(lines):
        if not line or _is_sentence(line) or len(line) > _DATE_LINE_CHARS or is_caption(line):
            continue
        if not any(zone in line for zone in rules.zones):
            continue
        timed = [s for s in _stamps_in(line, n, rules) if s.at and s.at[-6] in "+-"]
        if timed:
            return timed[0].date, timed[0].at
    return None, None


# -- outlet ----------------------------------------------------------------------------------------

# How strongly a mention names the page's own outlet.
_DATELINE_MENTION, _LABEL_MENTION, _TEXT_MENTION, _CREDIT_MENTION = 4, 3, 2, 1
_LABEL_LINE_WORDS = 8  # a label, byline or copyright line has at most this many


def _mention(raw: str, start: int, end: int) -> int:
    """How strongly the outlet named at raw[start:end] is the page's own (0: a source it quotes)."""
    line_start = raw.rfind("\n", 0, start) + 1
    line_end = raw.find("\n", end)
    line = raw[line_start:line_end if line_end >= 0 else len(raw)]
    if _CITED.search(raw, max(line_start, start - _CITED_CHARS), start):
        return 0
    if raw[start - 1:start] == "/" or raw[end:end + 1] == "/" or re.match(r" ?(?i:foto)/", raw[end:end + 6]):
        return _CREDIT_MENTION
    stripped = line.strip()
    dateline = is_dateline(stripped)
    if dateline and start - line_start - (len(line) - len(line.lstrip())) < dateline.end():
        return _DATELINE_MENTION
    if _words(stripped) <= _LABEL_LINE_WORDS or _COPYRIGHT.search(raw, line_start, start):
        return _LABEL_MENTION
    return _TEXT_MENTION


def _words_of(lowered: str) -> bytes:
    """A lowercased text's letters and digits (UTF-8), everything else a space: its words, at C speed."""
    return lowered.encode("utf-8", "surrogatepass").translate(_WORD_BYTES)


def _word_at(text: str, start: int, end: int) -> bool:
    return not (text[start - 1:start].isalnum() or text[end:end + 1].isalnum())


def find_outlet(raw: str, rules: CleaningRules | None = None) -> str | None:
    """The page's own outlet, weighed from what its furniture says of itself (see _outlet); else a
    listed outlet named in a label, byline or copyright line, else in its text, else in a photo
    credit (the earliest of the strongest). Sources the page quotes ("dikutip dari", "dilansir",
    "kepada ANTARA") do not count."""
    lines = raw.split("\n")
    first = next((n for n, line in enumerate(lines[:_DATELINE_LINES]) if is_dateline(line.strip())), None)
    rules = rules or cleaning_rules()
    return _outlet(lines, first, rules, _OutletKeys(lines, rules))


@dataclass
class _Naming:
    """A name a line of the page's furniture gives the page's own outlet."""

    name: str  # as the line prints it
    weight: int
    signed: bool = False  # in a line the outlet signs: copyright, its reporter's line, a Google News prompt
    label: bool = False  # a short line alone: it only backs up a name another line gives
    own: str = ""  # the part that names the outlet (see _outlet): the name, or a part of an address


# How strongly each kind of line names the page's own outlet.
_DATELINE_WEIGHT = 4  # the dateline's outlet slot ("SLEMAN, RADAR JOGJA –", "KALTIMPOST.ID, BANGKOK -")
_SIGNED_WEIGHT = 3  # "© 2023 Harian Jogja", "Laporan Wartawan Tribun Jateng, ...", "Ikuti X di Google News"
_ADDRESS_WEIGHT = 2  # a web address standing alone (masthead, footer); a name in a dateline's brackets
_BACKING_WEIGHT = 1  # a short line, a footer link ("Tentang Haluan"), a lone word opening the text
# A social handle ("Instagram @sumutpos"): backing only, as a quoted post's author has one too.
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z][\w.]{2,29}[A-Za-z0-9])")
# A caps opening of the text: "AKURAT.CO Armenia ...", "BOGOR–RADAR BOGOR, Dua ...", "RMOL. Pemerintah ..."
_CAPS_OPENING = re.compile(r"[A-Z][A-Z0-9.&'’]*(?:[ ,()–—-]+[A-Z][A-Z0-9.&'’]*)*(?=[ ,.()–—-]+[A-Z\"“])")
# A place and a name in brackets opening the text, then a colon or full stop: "MEDAN (Waspada): ...",
# "Medan, (Analisa). ..." (with a dash it is a dateline).
_BRACKET_OPENING = re.compile(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2},? \((?P<name>[^()]{2,40})\)[:.] (?=[A-Z\"“])")
_OPENING_SPLIT = re.compile(r"\s*[,()–—]\s*|\s+-+\s+|(?<=[A-Z])-(?=[A-Z])")


def _outlet(lines: list[str], dateline: int | None, rules: CleaningRules, keys: _OutletKeys) -> str | None:
    """find_outlet on a page's lines, its first dateline known.

    Every line of furniture that names an outlet is evidence: the dateline's
    outlet slot, lines the outlet signs, web addresses standing alone, and,
    as backing only, short lines and footer links. Names are grouped as one
    outlet by their stem ("RADAR BOGOR", "radarbogor.id"; a network's address
    "riaupos.jawapos.com" by its own part) and the group named most strongly,
    across most lines, is the page's outlet (of equal sums, the one a
    stronger line names, then the first). A group
    needs a line above backing, or two lines. Without one, the strongest
    mention of a listed outlet anywhere on the page.
    """
    namings = _namings(lines, dateline, rules)
    for naming in namings:
        naming.own = naming.name if naming.label else _own_part(naming.name, rules)
    # a short line alone only backs up a name: it is looked up by its stem alone
    named_as = [outlet_stem(naming.own) if naming.label else keys.key(naming.own) for naming in namings]
    networks: set[str] = set()  # "jawapos" of "riaupos.jawapos.com": the network, not the outlet
    named = Counter(named_as)
    for at, naming in enumerate(namings):
        network = _network(naming.name, rules)
        if network is None:
            continue
        if named[named_as[at]] > 1:  # another line names "RIAU POS": the address is its own
            networks.add(keys.key(network))
        else:  # "internasional.kompas.com": a section of the network's site
            naming.own = network
            named_as[at] = keys.key(network)
    groups: dict[str, list[_Naming]] = {}
    for key, naming in zip(named_as, namings):
        if not naming.label:
            groups.setdefault(key, []).append(naming)
    for key, naming in zip(named_as, namings):
        if naming.label and key in groups:
            groups[key].append(naming)
    best = max((key for key, group in groups.items() if key not in networks and _stands(group)),
               key=lambda key: (sum(n.weight for n in groups[key]), max(n.weight for n in groups[key])), default=None)
    if best is None:
        return keys.mention
    return _brand(best, groups[best], lines, rules)


def _stands(group: list[_Naming]) -> bool:
    """Whether names in these lines may be the outlet's: one line names it more than as backing, or
    two lines do (a short line alone joins a name another line gives: a section label repeated is no
    outlet)."""
    return len(group) > 1 or group[0].weight > _BACKING_WEIGHT


def _namings(lines: list[str], dateline: int | None, rules: CleaningRules) -> list[_Naming]:
    """The names of the page's own outlet its furniture gives, the dateline's first, then line by line."""
    found = _dateline_namings(lines, dateline, rules)
    first = next((line.strip() for line in lines if line.strip()), "")  # where a masthead and its tagline stand
    companies: dict[str, str | None] = {}  # a company's outlet, looked up once however many lines name it
    for line in lines:
        line = line.strip()
        if not line or len(line) > rules.short_line:
            continue
        signed = next((m["outlet"] for rule in rules.naming for m in [rule.fullmatch(line)] if m), None)
        company = rules.company.fullmatch(line)
        if company and company["company"] not in companies:
            companies[company["company"]] = _company_outlet(company["company"], lines)
        signed = signed or company and companies[company["company"]]
        if signed and signed.lower() not in place_names():  # "Baca berita Gaza lainnya" names a topic
            found.append(_Naming(signed, _SIGNED_WEIGHT, signed=True))
            continue
        if "@" in line:
            found.extend(_Naming(handle, _BACKING_WEIGHT, label=True) for handle in _HANDLE.findall(line))
        site = rules.site_line.fullmatch(line)
        if site:
            found.append(_Naming(site["outlet"], _ADDRESS_WEIGHT))
            continue
        masthead = line == first and rules.masthead.fullmatch(line)
        if masthead and masthead["outlet"].lower() not in place_names():  # backing: a headline may look so
            found.append(_Naming(masthead["outlet"], _BACKING_WEIGHT))
            continue
        footer = rules.footer.fullmatch(line)
        if footer:
            found.append(_Naming(footer["outlet"], _BACKING_WEIGHT))
        elif line.count(" ") < _SLOT_WORDS and not _is_sentence(line) and _may_name(line, rules):
            found.append(_Naming(line, _BACKING_WEIGHT, label=True))
    return found


def _dateline_namings(lines: list[str], dateline: int | None, rules: CleaningRules) -> list[_Naming]:
    """The outlet the text's opening names: the dateline's outlet slot, a name in its brackets
    ("Jakarta (ANTARA) -" credits the agency the copy came from: the outlet's own lines weigh more),
    or, without a dateline, the opening in capitals of the first paragraph ("AKURAT.CO Armenia ...")."""
    if dateline is not None:
        line = lines[dateline].strip()
        opening = line[:is_dateline(line).end()]
        strength, name = _strongest_mention(line, rules, before=len(opening))
        head = _DASH_END.sub("", opening)
        weight = _ADDRESS_WEIGHT if _BRACKETED.fullmatch(head) else _DATELINE_WEIGHT
        if strength == _DATELINE_MENTION:
            return [_Naming(name, weight)]
        name = _dateline_outlet(opening, rules)
        if name:
            return [_Naming(name, weight)]
        return _lone_part(head, rules)
    first = next((line.strip() for line in lines[:_DATELINE_LINES] if _is_sentence(line.strip())
                  and _words(line) >= _PARAGRAPH_WORDS and not is_caption(line.strip())), None)
    bracketed = first and _BRACKET_OPENING.match(first)
    if bracketed and _may_name(bracketed["name"], rules):
        return [_Naming(bracketed["name"], _ADDRESS_WEIGHT)]
    opening = first and _CAPS_OPENING.match(first)
    if not opening:
        return []
    site = rules.site.search(opening[0])
    if site:
        return [_Naming(site[0], _DATELINE_WEIGHT)]
    name = _dateline_outlet(opening[0].replace("–", ",").replace("—", ","), rules)
    if name:
        return [_Naming(name, _DATELINE_WEIGHT)]
    # "RMOL. Pemerintah ...", not "PBB Desak ...": an acronym opening a sentence
    return _lone_part(opening[0], rules) if first[opening.end()] != " " else []


def _lone_part(head: str, rules: CleaningRules) -> list[_Naming]:
    """A dateline or opening of one part that is no place ("KABAR BANTEN -", "RMOL."): backing only,
    as a place the gazetteers lack would read the same."""
    head = head.strip(" .")
    if len(_OPENING_SPLIT.split(head)) == 1 and _may_name(head, rules) and head.lower() not in place_names():
        return [_Naming(head, _BACKING_WEIGHT)]
    return []


# A network's address names the outlet by its own part: "riaupos.jawapos.com" is Riau Pos, not Jawa Pos.
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")


def _own_part(name: str, rules: CleaningRules) -> str:
    """A web address's own part: without "www." and its ending, the first label of a network's
    address ("radarjogja.jawapos.com" -> "radarjogja"); a name that is no address as it is."""
    if not rules.site.fullmatch(name):
        return name
    host = _own_host(name)
    return host[:_TLD.search(host.lower()).start()].split(".")[0]


def _own_host(address: str) -> str:
    """A web address without "www." or a mobile or AMP prefix."""
    for prefix in _HOST_PREFIXES:
        address = address[len(prefix):] if address.lower().startswith(prefix) else address
    return address


def _network(name: str, rules: CleaningRules) -> str | None:
    """The network a web address of a network's outlet belongs to ("riaupos.jawapos.com" -> "jawapos")."""
    if not rules.site.fullmatch(name):
        return None
    labels = _TLD.sub("", _own_host(name).lower()).split(".")
    return labels[1] if len(labels) > 1 else None


class _OutletKeys:
    """What names of one outlet share, on one page: each name looked up once, and the page's strongest
    mention of a listed outlet found once (a page repeating a footer on every line costs one look-up,
    not a pass over the page per line)."""

    def __init__(self, lines: list[str], rules: CleaningRules) -> None:
        self.lines, self.rules = lines, rules
        self._keys: dict[str, str] = {}

    def key(self, own: str) -> str:
        """A listed outlet's canonical name, else the stem of the name's own part ("Radar Bogor",
        "RADARBOGOR.ID" and "radarbogor.id" are one)."""
        if own not in self._keys:
            self._keys[own] = self.listed(own) or outlet_stem(own)
        return self._keys[own]

    @cached_property
    def mention(self) -> str | None:
        """The listed outlet the page mentions most strongly anywhere."""
        return _strongest_mention("\n".join(self.lines), self.rules)[1]

    def listed(self, name: str) -> str | None:
        """A name's outlet as the list gives it, if the list holds it ("Tribunnews.com" is TRIBUNnews,
        and "Tempo" Tempo.co by its stem; "KOMPAS", the stem of two, is the one the page names
        elsewhere)."""
        known = _strongest_mention(name, self.rules)[1]
        if known:
            return known
        stemmed = self.rules.outlet_stems.get(outlet_stem(name), ())
        if len(stemmed) > 1:  # "KOMPAS" may be Kompas.com or Kompas.id: the one the page names elsewhere
            return self.mention if self.mention in stemmed else stemmed[0]
        return stemmed[0] if stemmed else None


def _brand(key: str, group: list[_Naming], lines: list[str], rules: CleaningRules) -> str:
    """The outlet's name as it writes it: a listed outlet's canonical name; else the name in words
    that a line it signs gives, else its address as it signs with it ("Copyright © 2021 Solopos.com"),
    else the name in words any of its lines gives; else its address made a brand ("FAJAR.CO.ID" is
    Fajar, "Jurnas.com" in a dateline Jurnas)."""
    if key in rules.outlet_names:
        return key
    ranked = sorted(group, key=lambda naming: -naming.weight)  # stable: the first of equals
    words = [n.name for n in ranked if not rules.site.fullmatch(n.name)]
    signed_words = [n.name for n in ranked if n.signed and n.name in words]
    if signed_words:
        return _spelled(signed_words[0], lines)
    # an address it signs with in capitals, as the page prints it in mixed case ("RM.ID" and "RM.id")
    signed_address = next(filter(None, (_printed_mixed(n.name, lines) for n in ranked
                                        if n.signed and n.name not in words and not n.name.islower())), None)
    if signed_address:
        return signed_address
    if words:
        return _spelled(words[0], lines)
    return _address_brand(ranked[0].own, lines)


def _address_brand(own: str, lines: list[str]) -> str:
    """A web address's own part as the outlet writes its name: in the mixed case the page prints the
    address in ("tvOnenews.com" -> tvOnenews), else capitalised ("FAJAR.CO.ID" -> Fajar, "RMOL.ID" -> RMOL)."""
    return _spelled(own, lines, after=r"(?=\.\w)")


# A dateline's dash, and a name in brackets before it: "Jakarta (Bali Post) –".
_DASH_END = re.compile(r"\s*(?:-{1,2}|–|—)\s*$")
_BRACKETED = re.compile(r"[^()]+?\s*\(([^()]+)\)")
_SLOT_WORDS = 4  # an outlet's name in a dateline has at most this many words
_ACRONYM_LETTERS = 4  # a name of one word in capitals this short is an acronym ("RMOL")


def _dateline_outlet(opening: str, rules: CleaningRules) -> str | None:
    """The outlet a dateline's opening names when the list does not hold it.

    A web address anywhere in it ("MATARAM, LOMBOKPOST.NET -", "Solopos.com,
    SOLO —"); the name in brackets ("Jakarta (Bali Post) –"); or, of two parts
    ("PADANG, HALUAN —", "Jubi, Jayapura -"), the one that is no place when the
    other is one (as the gazetteers say), else the second when the first is in
    capitals, as datelines print the place ("SLEMAN, RADAR JOGJA –"). A
    weekday, month or number is never an outlet ("JAKARTA, Senin -"), nor are
    two places ("KIEV, Ukraina -").
    """
    head = _DASH_END.sub("", opening)
    site = rules.site.search(head)
    if site:
        return site[0]
    bracketed = _BRACKETED.fullmatch(head)
    if bracketed:
        name = bracketed[1].strip()
        return name if _may_name(name, rules) else None
    parts = [part.strip() for part in head.split(",")]
    if len(parts) != 2:
        return None
    first, second = parts
    places = place_names()
    if first.lower() in places:
        return second if _may_name(second, rules) and second.lower() not in places else None
    if second.lower() in places:
        return first if _may_name(first, rules) else None
    return second if first.isupper() and _may_name(second, rules) else None


def _may_name(slot: str, rules: CleaningRules) -> bool:
    """Whether a part of a dateline may be an outlet's name: a few capitalised words ("detikJatim" is
    one), no date."""
    words = slot.split()
    return (0 < len(words) <= _SLOT_WORDS and not words[0].islower() and not any(ch.isdigit() for ch in slot)
            and words[0].lower() not in rules.weekdays and words[0].lower().rstrip(".") not in rules.months)


def _company_outlet(company: str, lines: list[str]) -> str | None:
    """The outlet a company is named after: the longest line of a few words that begins the company's
    name ("Bali Post" above the headline, "PT Bali Post Media Utama" in the copyright line; not the
    label "Bali")."""
    lowered = company.lower() + " "
    named = [line.strip() for line in lines if line.strip() and len(line.split()) <= _SLOT_WORDS
             and lowered.startswith(line.strip().lower() + " ")]
    return max(named, key=len, default=None)


_TLD = re.compile(r"\.(?:co\.id|co|com|id|net|org|tv)$")


def outlet_stem(name: str) -> str:
    """An outlet's name without case, "www.", the ending of its address, spaces or dots: "IDN Times",
    "idntimes.com" and "www.IDNTimes.com" are one."""
    return re.sub(r"[\W_]", "", _TLD.sub("", name.lower().removeprefix("www.")))


def outlet_key(name: str) -> str:
    """What tells one outlet from another across pages and databases: its stem; a listed outlet's
    spellings are first read as its canonical name ("kompas.tv" and "Kompas TV" are one), and two listed
    outlets that share a stem stay two ("Kompas.com" and "Kompas.id"; "KOMPAS" alone is neither)."""
    rules = cleaning_rules()
    listed = rules.outlet_listed.get(name.strip().lower().removeprefix("www."))
    if listed is None:
        return outlet_stem(name)
    stem = outlet_stem(listed)  # "kompas.tv" is Kompas TV, "detik.com" detikcom
    return listed.lower() if len(rules.outlet_stems.get(stem, ())) > 1 else stem


def _spelled(name: str, lines: list[str], after: str = r"(?!\w)") -> str:
    """How an outlet writes its name: as the page spells it in mixed case anywhere ("Serambinews.com"
    in a copyright line for "SERAMBINEWS.COM"), else capitalised ("SERAMBINEWS.COM" as
    Serambinews.com, "RADAR JOGJA" as Radar Jogja, "TRIBUN-TIMUR" as Tribun-Timur, a word of two
    letters as it is, and a name of one word of four capitals or fewer, an acronym: "RMOL")."""
    mixed = _printed_mixed(name, lines, after)
    if mixed:
        return mixed
    if name.isupper() and name.isalpha() and len(name) <= _ACRONYM_LETTERS:
        return name
    return " ".join("-".join(part if len(part) <= 2 else part[:1].upper() + part[1:].lower()
                             for part in word.split("-")) for word in name.split())


def _printed_mixed(name: str, lines: list[str], after: str = r"(?!\w)") -> str | None:
    """The name as given if in mixed case, else as the page prints it in mixed case anywhere
    ("RM.ID" in a Google News prompt is "RM.id" in the masthead), else None."""
    if not (name.isupper() or name.islower()):
        return name
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}{after}", re.IGNORECASE)
    for line in lines:
        for found in pattern.finditer(line):
            spelled = found[0]
            if not spelled.isupper() and not spelled.islower():
                return spelled
    return None


def _strongest_mention(text: str, rules: CleaningRules, before: int | None = None) -> tuple[int, str | None]:
    """(strength, outlet) of the strongest mention in ``text`` (the earliest of equals), of those
    starting before ``before`` if given."""
    lowered = text.lower()
    if len(lowered) != len(text):  # İ and a few others lower to two characters: positions would shift
        lowered = "".join(ch.lower()[0] for ch in text)
    best: tuple[int, int] = (0, 0)
    name = None
    taken: set[int] = set()  # a longer string matched here ("cnn indonesia" before "indonesia")
    # only the strings whose first word is on the page are searched for, longest first (the page's
    # words looked up in the small set, not gathered into a set of their own)
    words = rules.outlet_firsts.intersection(_words_of(lowered if before is None else lowered[:before]).split())
    places = sorted(at for word in words for at in rules.outlet_words[word])
    for needle, outlet, any_case in (rules.outlets[at] for at in places):
        page = lowered if any_case else text
        at = page.find(needle, 0, before)
        while at >= 0:
            end = at + len(needle)
            if at not in taken and _word_at(page, at, end):
                taken.add(at)
                strength = _mention(text, at, end)
                if strength and (name is None or (-strength, at) < best):
                    best, name = (-strength, at), outlet
            at = page.find(needle, at + 1, before)
    return -best[0], name
