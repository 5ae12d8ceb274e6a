"""The default pre-tagger's entity rules: gazetteers, designated names, dates and counts, capitals, peoples, titles.

The rules hold on outlets and conflicts they were not written for because they
read kept data (the gazetteers, ``data/gazetteer/world.tsv`` generated from
CLDR and GeoNames) and Indonesian grammar (``data/entity_rules.toml``:
"Distrik X", "warga X", "16 tentara"; ``data/titles.toml``: "Presiden X"),
not strings seen in a few articles. ``pretag.build_pipeline`` puts them together.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.lang.id.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

from .errors import TandaiError
from .indonesian import MONTHS, WEEKDAYS

GAZETTEER_DIR = "gazetteer"
ENTITY_LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "QUANTITY")
AFFILIATIONS = ("GPE", "NORP", "ORG", "LOC", "FAC")  # what may stand between a title and a name


# -- data files -------------------------------------------------------------------------------


def _data_text(name: str) -> str:
    return resources.files("annotations.data").joinpath(name).read_text("utf-8")


def gazetteer_files() -> list[str]:
    folder = resources.files("annotations.data").joinpath(GAZETTEER_DIR)
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tsv"))


def read_gazetteer(name: str) -> list[tuple[str, str]]:
    """(label, phrase) pairs of one gazetteer file."""
    rows = []
    text = resources.files("annotations.data").joinpath(GAZETTEER_DIR, name).read_text("utf-8")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, phrase = line.partition("\t")
        if label not in ENTITY_LABELS or not phrase.strip():
            raise TandaiError(f"gazetteer {name}:{n}: expected LABEL<TAB>name with a label of {', '.join(ENTITY_LABELS)}")
        rows.append((label, phrase.strip()))
    return rows


@dataclass(frozen=True)
class Rules:
    titles: tuple[str, ...]
    descriptor_titles: frozenset[str]
    territorial_titles: frozenset[str]
    title_words: frozenset[str]  # every word of every title, lowercased: never part of a name
    designators: dict[str, tuple[str, ...]]
    people_nouns: frozenset[str]
    people_modifiers: frozenset[str]
    place_nouns: frozenset[str]
    counted_nouns: tuple[str, ...]
    number_words: tuple[str, ...]
    number_scales: tuple[str, ...]

    @property
    def not_name_words(self) -> frozenset[str]:
        """Lowercased words that are never part of a name: stop words, days, months, titles, designators."""
        designator_words = {w.lower() for words in self.designators.values() for d in words for w in d.split()}
        return (frozenset(STOP_WORDS) | {w.lower() for w in (*WEEKDAYS, *MONTHS)} | self.title_words
                | designator_words)


@cache
def rules() -> Rules:
    titles = tomllib.loads(_data_text("titles.toml"))
    data = tomllib.loads(_data_text("entity_rules.toml"))
    return Rules(
        titles=tuple(titles["titles"]), descriptor_titles=frozenset(titles.get("descriptor_titles", [])),
        territorial_titles=frozenset(titles.get("territorial_titles", [])),
        title_words=frozenset(w.lower() for t in titles["titles"] for w in t.split()),
        designators={label: tuple(words) for label, words in data["designators"].items()},
        people_nouns=frozenset(data["people_nouns"]), people_modifiers=frozenset(data["people_modifiers"]),
        place_nouns=frozenset(data["place_nouns"]),
        counted_nouns=tuple(data["counted_nouns"]), number_words=tuple(data["number_words"]),
        number_scales=tuple(data["number_scales"]),
    )


# -- EntityRuler patterns -------------------------------------------------------------------------

_NUM = {"TEXT": {"REGEX": r"^\d+([.,]\d+)*$"}}
_DAY_NUM = {"TEXT": {"REGEX": r"^\d{1,2}$"}}
_YEAR = {"TEXT": {"REGEX": r"^(1[89]|20)\d\d$"}}
_SLASH_DATE = {"TEXT": {"REGEX": r"^\d{1,2}/\d{1,2}(/\d{2,4})?$"}}
_CLOCK = {"TEXT": {"REGEX": r"^\d{1,2}[.:]\d\d$"}}
_TIME_ZONES = ["WIB", "WITA", "WIT", "GMT", "UTC"]
_DURATIONS = ["hari", "jam", "pekan", "minggu", "bulan", "tahun", "menit", "dekade", "abad"]


def _words(phrase: str, **extra) -> list[dict]:
    """Token specs matching a phrase word by word (the first word taking ``extra``)."""
    return [dict({"ORTH": w}, **(extra if n == 0 else {})) for n, w in enumerate(phrase.split())]


def date_and_quantity_patterns() -> list[dict]:
    """Token patterns for Indonesian dates ("Senin (26/10/2020)", "pukul 08.00 WIB", "bulan Mei", "2020") and
    counts ("5.000 orang", "tiga helikopter", "ratusan warga sipil")."""
    r = rules()
    day = {"ORTH": {"IN": list(WEEKDAYS)}}
    month = {"ORTH": {"IN": list(MONTHS)}}
    full_month = {"ORTH": {"IN": [m for m in MONTHS if len(m) > 3]}}
    optional_year = dict(_YEAR, OP="?")
    dates = [
        [day, {"ORTH": "("}, _SLASH_DATE, {"ORTH": ")"}],
        [day, {"ORTH": ",", "OP": "?"}, _DAY_NUM, month, optional_year],
        [_DAY_NUM, month, optional_year],
        [month, _YEAR],
        [{"LOWER": "bulan"}, full_month, optional_year],
        [full_month],
        [_YEAR],
        [{"LOWER": "tahun"}, _YEAR, {"ORTH": "-", "OP": "?"}, {"LOWER": "an", "OP": "?"}],
        [_YEAR, {"ORTH": "-"}, {"LOWER": "an"}],
        [{"LOWER": "pukul"}, _CLOCK, {"ORTH": {"IN": _TIME_ZONES}, "OP": "?"}],
        [{"LOWER": "pukul"}, _CLOCK, {"LOWER": "waktu"}, {"LOWER": "setempat"}],
        [{"LOWER": {"IN": ["hari", "pekan", "minggu", "bulan", "tahun"]}}, {"LOWER": {"IN": ["ini", "lalu", "depan"]}}],
        [{"LOWER": {"IN": list(r.number_words)}}, {"LOWER": {"IN": _DURATIONS}}, {"LOWER": "terakhir", "OP": "?"}],
        [_NUM, {"LOWER": {"IN": _DURATIONS}}, {"LOWER": "terakhir", "OP": "?"}],
        [day],
    ]
    number_word = {"LOWER": {"IN": list(r.number_words)}}
    scale = {"LOWER": {"IN": list(r.number_scales)}, "OP": "?"}
    quantities = []
    for noun in r.counted_nouns:
        words = noun.split()
        tail = [{"LOWER": words[0]}] + [{"LOWER": w} for w in words[1:]] + [{"LOWER": "sipil", "OP": "?"}]
        for number in (number_word, _NUM):
            quantities.append([number, scale, *tail])
    return [{"label": "DATE", "pattern": p} for p in dates] + [
        {"label": "QUANTITY", "pattern": p} for p in quantities
    ]


def designator_patterns(place_words: set[str]) -> list[dict]:
    """"Distrik Martuni", "Republik Armenia", "Gunung Ararat": a designator and up to three capitalised words
    (``place_words``: the one-word places of the gazetteers, which end a body's name and never start one)."""
    r = rules()
    not_name = sorted(r.not_name_words)
    name = {"IS_TITLE": True, "LOWER": {"NOT_IN": not_name}}
    inner = dict(name, ORTH={"NOT_IN": sorted(place_words)})
    place = {"ORTH": {"IN": sorted(place_words)}}
    patterns = []
    for label, designators in r.designators.items():
        for designator in designators:
            head = _words(designator)
            if label == "ORG":  # a body's name ends at its country: "Kementerian Pertahanan Armenia"
                found = [[*head, dict(inner, OP="{1,3}")], [*head, dict(inner, OP="{1,3}"), place]]
                if len(head) > 1:
                    found.append([*head, place])  # "Angkatan Bersenjata Armenia"
            else:
                found = [[*head, dict(name, OP="{1,3}")]]
            patterns.extend({"label": label, "pattern": p} for p in found)
    return patterns


def gazetteer_patterns(gazetteers: list[str]) -> tuple[list[dict], set[str]]:
    """Phrase patterns of the gazetteers, and their one-word places."""
    patterns = []
    places = set()
    for name in gazetteers:
        for label, phrase in read_gazetteer(name):
            patterns.append({"label": label, "pattern": phrase})
            if label in ("GPE", "LOC") and " " not in phrase:
                places.add(phrase)
    return patterns, places


# -- names in capitals --------------------------------------------------------------------------------


@Language.factory("tandai_capitals", default_config={"gazetteers": None})
def make_capitals(nlp: Language, name: str, gazetteers: list[str] | None) -> "CapitalsMatcher":
    return CapitalsMatcher(nlp, gazetteer_files() if gazetteers is None else gazetteers)


def _capitalised_form_of(text: str, phrase: str) -> bool:
    """True if ``text`` is ``phrase`` with some of its letters in capitals ("STEPANAKERT", "KOMPAS.com")."""
    return len(text) == len(phrase) and all(t == p or t == p.upper() for t, p in zip(text, phrase))


class CapitalsMatcher:
    """Gazetteer names printed in capitals ("STEPANAKERT, KOMPAS.com", "MOSKOW --", a headline in capitals).

    Case is ignored only where the text has capitals the name has not: "Antara"
    (between) never matches "ANTARA", and "ANTARA" never matches a name written
    "Antara"; ordinary capitalised words are left to the case-sensitive ruler.
    """

    def __init__(self, nlp: Language, gazetteers: list[str]):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrases: dict[str, list[tuple[str, str]]] = {}
        for name in gazetteers:
            for label, phrase in read_gazetteer(name):
                if phrase != phrase.upper():
                    key = phrase.lower()
                    if key not in self.phrases:
                        self.matcher.add(key, [nlp.make_doc(phrase)])
                    self.phrases.setdefault(key, []).append((label, phrase))

    def __call__(self, doc: Doc) -> Doc:
        if not any(t.is_upper and len(t) > 2 for t in doc):
            return doc
        ents = list(doc.ents)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        found = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            if any(i in taken for i in range(start, end)) or not any(t.is_upper for t in span):
                continue
            for label, phrase in self.phrases[doc.vocab.strings[match_id]]:
                if _capitalised_form_of(span.text, phrase):
                    found.append(SpacySpan(doc, start, end, label=label))
                    break
        if found:
            doc.ents = filter_spans(ents + found)
        return doc


# -- peoples --------------------------------------------------------------------------------------


@Language.component("tandai_peoples")
def tandai_peoples(doc: Doc) -> Doc:
    """A place right after a people noun names the people: "warga [Palestina]{NORP}", "separatis [Armenia]"."""
    r = rules()
    changed = False
    ents = list(doc.ents)
    for n, ent in enumerate(ents):
        if ent.label_ != "GPE" or ent.start == 0:
            continue
        i = ent.start - 1
        while i > 0 and doc[i].lower_ in r.people_modifiers:
            i -= 1
        before = doc[i].lower_
        two_before = f"{doc[i - 1].lower_} {before}" if i > 0 else ""
        if i > 0 and doc[i - 1].lower_ in r.place_nouns:
            continue  # "wilayah separatis Nagorno-Karabakh": the noun describes a place
        if before in r.people_nouns or two_before in r.people_nouns:
            ents[n] = SpacySpan(doc, ent.start, ent.end, label="NORP")
            changed = True
    if changed:
        doc.ents = ents
    return doc


# -- titles -----------------------------------------------------------------------------------------


@Language.factory("tandai_titles", default_config={"max_descriptor": 4, "max_name": 4})
def make_titles(nlp: Language, name: str, max_descriptor: int, max_name: int) -> "TitleTagger":
    return TitleTagger(nlp, max_descriptor, max_name)


class TitleTagger:
    """Names after a title (Presiden, Menlu, Gubernur ...) are people, and so are their surnames later.

    Only a name makes a title a person's: "Menteri Luar Negerinya" tags
    nothing. Affiliations between the title and the name are skipped
    ("Presiden Rusia Vladimir Putin"); "Gubernur Kherson, Vladimir Saldo" makes
    the words before the comma the place (GPE, for a territory's title) and the
    words after it the person. A surname is carried over only where no place,
    body or people has that name.
    """

    def __init__(self, nlp: Language, max_descriptor: int, max_name: int):
        r = rules()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher.add("TITLE", [nlp.make_doc(t) for t in r.titles])
        self.descriptor_titles = r.descriptor_titles
        self.territorial_titles = r.territorial_titles
        self.not_name = r.not_name_words
        self.title_words = r.title_words
        self.max_descriptor = max_descriptor
        self.max_name = max_name

    def is_name(self, token) -> bool:
        text = token.text
        lower = token.lower_
        if not text[:1].isupper() or token.is_punct or (text.isupper() and len(text) > 1) or lower in self.not_name:
            return False
        return not (lower.endswith("nya") and lower[:-3] in self.title_words)  # "Negerinya": his country's

    def name_end(self, doc: Doc, i: int, affiliated: set[int]) -> int:
        j = i
        while j < len(doc) and j - i < self.max_name and j not in affiliated and self.is_name(doc[j]):
            j += 1
        return j

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        affiliated = {i for ent in ents if ent.label_ in AFFILIATIONS for i in range(ent.start, ent.end)}
        found: list[SpacySpan] = []
        # a photo credit's agency before a slash is a title too: "REUTERS/Ammar Awad"
        credits = [doc[e.start:e.end] for e in ents if e.label_ == "ORG" and e.end < len(doc) and doc[e.end].text == "/"]
        for title in filter_spans([doc[s:e] for _, s, e in self.matcher(doc)] + credits):
            i = self.name_start(doc, title, affiliated)
            j = self.name_end(doc, i, affiliated)
            if j == i or any(k in taken for k in range(i, j)):
                continue
            # "Gubernur Kherson, Vladimir Saldo": a second name after a comma is the person's
            if j + 1 < len(doc) and doc[j].text == "," and self.is_name(doc[j + 1]) and (j + 1) not in taken:
                k = self.name_end(doc, j + 1, affiliated)
                if k < len(doc) and doc[k].text in (",", "dan"):
                    pass  # a list of names: "Presiden Putin, Erdogan dan Macron"
                else:
                    if title.text in self.territorial_titles:
                        found.append(SpacySpan(doc, i, j, label="GPE"))
                    taken.update(range(i, j))
                    i, j = j + 1, k
            found.append(SpacySpan(doc, i, j, label="PER"))
            taken.update(range(i, j))
        not_surnames = {t.text for ent in ents + found if ent.label_ in AFFILIATIONS for t in ent}
        surnames = {span[-1].text for span in found if span.label_ == "PER"} | {
            ent[-1].text for ent in ents if ent.label_ == "PER" and len(ent) > 1
        }
        for token in doc:
            if token.text in surnames and token.text not in not_surnames and token.i not in taken:
                found.append(SpacySpan(doc, token.i, token.i + 1, label="PER"))
                taken.add(token.i)
        doc.ents = filter_spans(ents + found)
        return doc

    def name_start(self, doc: Doc, title: SpacySpan, affiliated: set[int]) -> int:
        """The first token after the title and its affiliations ("Presiden Rusia", "juru bicara kementerian ...")."""
        i = title.end
        lowercase_left = self.max_descriptor if title.text in self.descriptor_titles else 0
        while i < len(doc):
            tok = doc[i]
            if tok.is_space and "\n" in tok.text:
                break  # a name never continues past a line break
            if i in affiliated or tok.text in (",", "/", ":") or tok.is_space:
                i += 1
            elif tok.is_lower and lowercase_left:
                lowercase_left -= 1
                i += 1
            else:
                break
        return i
