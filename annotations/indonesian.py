"""Indonesian day, month and number words, and reading the dates and counts news writes with them.

An event table needs a calendar date where an article says "Senin (26/10)",
"kemarin" or "pekan lalu", and a number where it says "hampir 5.000 orang"
or "tiga tentara". The pre-tagger's date patterns use the same word lists.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

# "Ahad" is Sunday as some outlets print it; "Jum’at" with the typographic apostrophe pages often carry.
WEEKDAYS = {"Senin": 0, "Selasa": 1, "Rabu": 2, "Kamis": 3, "Jumat": 4, "Jum'at": 4, "Jum’at": 4, "Sabtu": 5,
            "Minggu": 6, "Ahad": 6}
MONTHS = {
    "Januari": 1, "Februari": 2, "Maret": 3, "April": 4, "Mei": 5, "Juni": 6, "Juli": 7, "Agustus": 8,
    "September": 9, "Oktober": 10, "November": 11, "Desember": 12,
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Agu": 8, "Agt": 8, "Sep": 9, "Okt": 10,
    "Nov": 11, "Des": 12,
}

# ACLED's time_precision: 1 the day is known, 2 only the week.
DAY, WEEK = 1, 2

_MONTH = "|".join(sorted((m.lower() for m in MONTHS), key=len, reverse=True))
_WEEKDAY = "|".join(sorted((d.lower() for d in WEEKDAYS), key=len, reverse=True))
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\b\.?(?:\s+(\d{{4}}))?")
_WEEKS_AGO = re.compile(r"\b(?:(\w+)\s+)?(?:pekan|minggu)\s+(?:yang\s+)?(?:lalu|kemarin)\b")
_DAYS_AGO = re.compile(r"\b(\w+)\s+hari\s+(?:yang\s+)?(?:lalu|sebelumnya)\b")
_NAMED_DAY = re.compile(rf"\b({_WEEKDAY})\b(?!\s+(?:lalu|ini|depan|kemarin|terakhir))")
_RELATIVE = (  # phrase -> days from the publication date, longest phrases first
    ("kemarin lusa", -2), ("tadi malam", -1), ("semalam", -1), ("kemarin", -1), ("hari ini", 0),
    ("besok", 1), ("lusa", 2),
)


def _published(published: str | None) -> date | None:
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def _nearest_year(day: int, month: int, published: date) -> date | None:
    """The date with this day and month nearest the publication date (news written around New Year)."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs(d - published), default=None)


def _day(day: str, month: int, year: str | None, published: date | None) -> date | None:
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        try:
            return date(full, month, int(day))
        except ValueError:
            return None
    return _nearest_year(int(day), month, published) if published else None


def resolve_date(text: str, published: str | None) -> tuple[date, int] | None:
    """The calendar date a time expression names, and its ACLED time precision; None when unresolvable.

    A written date ("Senin (26/10/2020)", "26/10", "26 Oktober 2020") wins over
    words relative to the publication date ("kemarin", "3 hari lalu", "pekan
    lalu"); a day name alone ("Senin") is the latest such day on or before
    publication. Without a year, the date nearest the publication is taken.
    """
    lowered = " ".join(text.lower().split())
    pub = _published(published)
    found = _SLASH.search(lowered)
    if found and 1 <= int(found[2]) <= 12:
        when = _day(found[1], int(found[2]), found[3], pub)
        return (when, DAY) if when else None
    found = _DAY_MONTH.search(lowered)
    if found:
        when = _day(found[1], MONTHS[found[2].capitalize()], found[3], pub)
        return (when, DAY) if when else None
    if pub is None:
        return None
    found = _WEEKS_AGO.search(lowered)
    if found:
        weeks = count_value(found[1]) if found[1] else None
        return pub - timedelta(weeks=weeks or 1), WEEK
    found = _DAYS_AGO.search(lowered)
    if found and count_value(found[1]):
        return pub - timedelta(days=count_value(found[1])), DAY
    for phrase, offset in _RELATIVE:
        if re.search(rf"\b{phrase}\b", lowered):
            return pub + timedelta(days=offset), DAY
    found = _NAMED_DAY.search(lowered)
    if found:
        weekday = next(n for d, n in WEEKDAYS.items() if d.lower() == found[1])
        return pub - timedelta(days=(pub.weekday() - weekday) % 7), DAY
    return None


_UNITS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
          "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000,
          "sejuta": 1_000_000}
_LARGE = {"ribu": 1000, "juta": 1_000_000, "miliar": 1_000_000_000}
# Words that give an order of magnitude, not a number: "puluhan" (tens of), "ratusan", "beberapa" (some).
_VAGUE = frozenset({"puluhan", "belasan", "ratusan", "ribuan", "jutaan", "beberapa", "banyak", "sejumlah"})
_DIGITS = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$")
_WORDS = re.compile(r"\d[\d.,]*\d|\d|[a-z']+")


def count_value(text: str) -> int | None:
    """The number a count names ("hampir 5.000 orang" -> 5000, "tiga tentara" -> 3, "1,5 juta" -> 1500000).

    Digits use Indonesian separators (``.`` thousands, ``,`` decimals); words
    are read as Indonesian numerals ("dua ratus lima puluh" -> 250). Hedges
    ("hampir", "sedikitnya") are skipped: the number said is the number kept.
    The first number counts (a range "3-5" gives 3). Vague amounts
    ("puluhan", "ratusan orang", "1.000-an") and text with no number give None.
    """
    lowered = text.lower()
    if re.search(r"\d-?an\b", lowered):
        return None
    words = _WORDS.findall(lowered)
    for n, word in enumerate(words):
        if word in _VAGUE:
            return None
        digits = _DIGITS.match(word)
        if digits:
            value = float(digits[1].replace(".", "") + (f".{digits[2]}" if digits[2] else ""))
            if n + 1 < len(words) and words[n + 1] in _LARGE:
                value *= _LARGE[words[n + 1]]
            return int(value) if value == int(value) else None
        if word in _UNITS:
            return _numeral(words[n:])
    return None


def _numeral(words: list[str]) -> int:
    """The value of the number words at the start of ``words`` ("dua ratus ribu" -> 200000)."""
    total = group = last = 0  # millions and thousands done; this group (< 1000) so far; its last unit
    for word in words:
        if word in _UNITS:
            group, last = group + last, _UNITS[word]
        elif word == "belas":
            last += 10
        elif word == "puluh":
            last *= 10
        elif word == "ratus":
            last *= 100
        elif word in _LARGE:
            total, group, last = total + ((group + last) or 1) * _LARGE[word], 0, 0
        else:
            break
    return total + group + last
