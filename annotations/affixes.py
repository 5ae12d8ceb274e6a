"""Indonesian affixation: the words a root makes with a prefix, a suffix or both.

A lexicon of event words lists roots (serang, tembak, temu) and the affix
patterns that keep their meaning; this module derives the surface words, so
nobody has to list "menyerang, diserang, serangan, penyerangan ..." by hand and
a word like "menteri" or "serangga" never matches by accident (only the
derived words match, not whatever starts or ends like an affix).

A pattern is written as prefix and suffix around ``-``: ``"meN-"`` (menyerang),
``"di-"``, ``"-an"`` (serangan), ``"peN--an"`` (penyerangan), ``"meN--i"``
(menembaki), ``""`` for the root itself. ``N`` is the nasal that assimilates
to the root's first sound (Sneddon, *Indonesian: A Comprehensive Grammar*,
ch. 1): it drops the voiceless k, p, s, t before a vowel (kirim -> mengirim,
pukul -> memukul, serang -> menyerang, tembak -> menembak), keeps every other
sound, and a root of one syllable takes ``menge-``/``penge-`` (bom -> mengebom).
"""
from __future__ import annotations

import re

VOWELS = frozenset("aeiou")
PREFIXES = ("meN", "peN", "di", "ter", "ber", "per", "ke", "memper", "diper")  # memperingatkan, diperpanjang
SUFFIXES = ("an", "kan", "i")
_DROPPED = {"k": "ng", "p": "m", "s": "ny", "t": "n"}  # voiceless sounds the nasal replaces before a vowel
_SYLLABLE = re.compile(r"[aeiou]+")


class AffixError(ValueError):
    """A pattern that is not prefix-, -suffix or prefix--suffix with known affixes."""


def split_pattern(pattern: str) -> tuple[str, str]:
    """(prefix, suffix) of a pattern: ``"meN--kan"`` -> ("meN", "kan"), ``"-an"`` -> ("", "an")."""
    if pattern == "":
        return "", ""
    if pattern.endswith("-") and "--" not in pattern:
        prefix, suffix = pattern[:-1], ""
    elif pattern.startswith("-") and pattern.count("-") == 1:
        prefix, suffix = "", pattern[1:]
    elif pattern.count("--") == 1:
        prefix, suffix = pattern.split("--")
    else:
        raise AffixError(f"affix pattern {pattern!r} is not prefix-, -suffix or prefix--suffix")
    if prefix and prefix not in PREFIXES:
        raise AffixError(f"affix pattern {pattern!r}: prefix {prefix!r} is not one of {', '.join(PREFIXES)}")
    if suffix and suffix not in SUFFIXES:
        raise AffixError(f"affix pattern {pattern!r}: suffix {suffix!r} is not one of {', '.join(SUFFIXES)}")
    return prefix, suffix


def nasal_forms(base: str, stem: str, root: str) -> list[str]:
    """``base`` ("me" or "pe") with the nasal N joined to ``stem`` (the root, perhaps suffixed) by ``root``'s
    first sounds: the usual form first, and for a root of one syllable the ``-nge-`` form before it."""
    first, second = root[:1], root[1:2]
    if len(_SYLLABLE.findall(root)) == 1:
        usual = base + ("m" if first in "bpf" else "n" if first in "dtcjsz" else "ng") + stem
        return [base + "nge" + stem, usual]
    if first in _DROPPED and second in VOWELS:
        return [base + _DROPPED[first] + stem[1:]]
    if first in VOWELS or first in "gkh":
        return [base + "ng" + stem]
    if first in "bfvp":
        return [base + "m" + stem]  # before a consonant p stays: memproduksi
    if first in "dcjzts":
        return [base + "n" + stem]  # mendesak, mencaplok, mentransfer, mensyaratkan
    return [base + stem]  # l, m, n, r, w, y: me- alone


def derive(root: str, pattern: str) -> list[str]:
    """The words ``root`` makes with ``pattern`` (lowercase; a root of several words takes the affixes on
    its first word: "gencat senjata" with "-an" is "gencatan senjata")."""
    prefix, suffix = split_pattern(pattern)
    head, _, rest = root.lower().partition(" ")
    stem = head + suffix
    if prefix == "meN":
        words = nasal_forms("me", stem, head)
    elif prefix == "peN":
        words = nasal_forms("pe", stem, head)
    elif prefix in ("ber", "ter", "per") and head.startswith("r"):
        words = [prefix[:-1] + stem]  # ber- + runding: berunding
    else:
        words = [prefix + stem]
    return [f"{word} {rest}" if rest else word for word in words]
