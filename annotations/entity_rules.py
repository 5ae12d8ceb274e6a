"""The default pre-tagger's entity rules: gazetteers, designated names, dates and counts, capitals, peoples, titles.

The rules hold on outlets and conflicts they were not written for because they
read kept data (the gazetteers, ``data/gazetteer/world.tsv`` generated from
CLDR and GeoNames) and Indonesian grammar (``data/entity_rules.toml``:
"Distrik X", "warga X", "16 tentara"; ``data/titles.toml``: "Presiden X"),
not strings seen in a few articles. ``pretag.build_pipeline`` puts them together.
"""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import numpy
from spacy.attrs import ENT_IOB, IS_TITLE, LIKE_URL, LOWER, ORTH, SHAPE
from spacy.lang.id.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span as SpacySpan

from .doc_arrays import column, entities, filter_spans, set_entities
from .doc_words import positions, word_ids
from .gazetteer import ENTITY_LABELS, GAZETTEER_DIR, gazetteer_files, read_gazetteer
from .indonesian import MONTHS, WEEKDAYS
from .phrase_index import PhraseIndex, phrase_words
from .trigger_lexicon import default_lexicon

AFFILIATIONS = ("GPE", "NORP", "ORG", "LOC", "FAC")  # what may stand between a title and a name


# -- data files -------------------------------------------------------------------------------


def _data_text(name: str) -> str:
    return resources.files("annotations.data").joinpath(name).read_text("utf-8")


@dataclass(frozen=True)
class Rules:
    titles: tuple[str, ...]
    descriptor_titles: frozenset[str]
    name_cues: tuple[str, ...]
    naming_cues: frozenset[str]
    name_before: frozenset[str]
    territorial_titles: frozenset[str]
    portfolio_words: frozenset[str]  # a title's capitalised words before the name ("Menteri Keamanan X")
    title_words: frozenset[str]  # every word of every title, lowercased: never part of a name
    title_heads: frozenset[str]  # the first word of every title, lowercased
    designators: dict[str, tuple[str, ...]]
    place_bodies: frozenset[str]
    org_last_words: frozenset[str]
    people_nouns: frozenset[str]
    ethnic_nouns: frozenset[str]
    group_nouns: frozenset[str]
    force_nouns: frozenset[str]
    countries: frozenset[str]
    people_modifiers: frozenset[str]
    place_nouns: frozenset[str]
    context_place_nouns: tuple[str, ...]
    context_facility_nouns: tuple[str, ...]
    context_nature_nouns: tuple[str, ...]
    nature_named_after_towns: tuple[str, ...]
    context_region_nouns: tuple[str, ...]
    context_body_nouns: tuple[str, ...]
    place_modifiers: tuple[str, ...]
    list_openers: tuple[str, ...]
    compass_words: tuple[str, ...]
    designators_outside: frozenset[str]
    designator_compounds: frozenset[tuple[str, ...]]  # "Lapangan Kerja": a common noun, no name
    designators_named_after_places: frozenset[str]
    counted_nouns: tuple[str, ...]
    counted_modifiers: tuple[str, ...]
    number_words: tuple[str, ...]
    number_scales: tuple[str, ...]
    not_names: frozenset[str]  # lowercased
    not_person_nouns: frozenset[str]
    name_particles: tuple[str, ...]
    titles_in_bodies: frozenset[str]  # lowercased

    @cached_property
    def compass_phrases(self) -> tuple[tuple[str, ...], ...]:
        """The compass words as word tuples, the longest first ("Barat Daya" before "Barat")."""
        return tuple(sorted((tuple(w.split()) for w in self.compass_words), key=len, reverse=True))

    @cached_property
    def compass_firsts(self) -> frozenset[str]:
        return frozenset(words[0] for words in self.compass_phrases)

    @cached_property
    def compass_single(self) -> frozenset[str]:
        return frozenset(w for w in self.compass_words if " " not in w)

    @cached_property
    def designator_inner_words(self) -> frozenset[str]:
        """Lowercased words of designators after their first that start none ("udara", "besar", "merah"): they
        may be inside a name ("Komisi Militer Gabungan", "terminal Batu Merah")."""
        return frozenset({w.lower() for words in self.designators.values() for d in words for w in d.split()[1:]}
                         - {d.split()[0].lower() for words in self.designators.values() for d in words})

    @cached_property  # (the rules are read once: ``rules()``)
    def designator_words(self) -> frozenset[str]:
        return frozenset(w.lower() for words in self.designators.values() for d in words for w in d.split())

    @cached_property
    def plain_not_name_words(self) -> frozenset[str]:
        """Lowercased words never in a name: stop words, days, months, credit words ("Stringer")."""
        return frozenset(STOP_WORDS) | {w.lower() for w in (*WEEKDAYS, *MONTHS)} | self.not_names

    @cached_property
    def not_name_words(self) -> frozenset[str]:
        """Lowercased words never in a person's or a place's name: those, and the words of titles and designators."""
        return self.plain_not_name_words | self.title_words | self.designator_words


@cache
def rules() -> Rules:
    titles = tomllib.loads(_data_text("titles.toml"))
    data = tomllib.loads(_data_text("entity_rules.toml"))
    return Rules(
        titles=tuple(titles["titles"]), descriptor_titles=frozenset(titles.get("descriptor_titles", [])),
        name_cues=tuple(titles.get("name_cues", [])), name_before=frozenset(titles.get("name_before", [])),
        naming_cues=frozenset(titles.get("naming_cues", [])), not_person_nouns=frozenset(data["not_person_nouns"]),
        territorial_titles=frozenset(titles.get("territorial_titles", [])),
        portfolio_words=frozenset(titles.get("portfolio_words", [])),
        title_words=frozenset(w.lower() for t in titles["titles"] for w in t.split()),
        title_heads=frozenset(t.split()[0].lower() for t in titles["titles"]),
        designators={label: tuple(words) for label, words in data["designators"].items()},
        place_bodies=frozenset(data["place_bodies"]), org_last_words=frozenset(data["org_last_words"]),
        people_nouns=frozenset(data["people_nouns"]), ethnic_nouns=frozenset(data["ethnic_nouns"]),
        group_nouns=frozenset(data["group_nouns"]), force_nouns=frozenset(data["force_nouns"]),
        countries=frozenset(data["country_other_names"]) | frozenset(
            line for line in _data_text(f"{GAZETTEER_DIR}/countries.txt").splitlines() if line and line[0] != "#"),
        people_modifiers=frozenset(w.lower() for w in data["people_modifiers"]),
        place_nouns=frozenset(data["place_nouns"]), context_place_nouns=tuple(data["context_place_nouns"]),
        place_modifiers=tuple(data["place_modifiers"]), list_openers=tuple(data["list_openers"]),
        context_facility_nouns=tuple(data["context_facility_nouns"]),
        context_nature_nouns=tuple(data["context_nature_nouns"]),
        nature_named_after_towns=tuple(data["nature_named_after_towns"]),
        context_region_nouns=tuple(data["context_region_nouns"]),
        context_body_nouns=tuple(data["context_body_nouns"]),
        compass_words=tuple(data["compass_words"]), designators_outside=frozenset(data["designators_outside"]),
        designator_compounds=frozenset(tuple(c.split()) for c in data["designator_compounds"]),
        designators_named_after_places=frozenset(data["designators_named_after_places"]),
        counted_nouns=tuple(data["counted_nouns"]), number_words=tuple(data["number_words"]),
        counted_modifiers=tuple(data["counted_modifiers"]),
        number_scales=tuple(data["number_scales"]), not_names=frozenset(w.lower() for w in data["not_names"]),
        name_particles=tuple(data["name_particles"]),
        titles_in_bodies=frozenset(w.lower() for w in data["titles_in_bodies"]),
    )


# -- EntityRuler patterns -------------------------------------------------------------------------

_NUM = {"TEXT": {"REGEX": r"^\d+([.,]\d+)*$"}}
_DAY_NUM = {"TEXT": {"REGEX": r"^\d{1,2}$"}}
_YEAR = {"TEXT": {"REGEX": r"^(1[89]|20)\d\d$"}}
_SLASH_DATE = {"TEXT": {"REGEX": r"^\d{1,2}/\d{1,2}(/\d{2,4})?$"}}
_CLOCK = {"TEXT": {"REGEX": r"^\d{1,2}[.:]\d\d$"}}
_TIME_ZONES = ["WIB", "WITA", "WIT", "GMT", "UTC"]
_DURATIONS = ["hari", "jam", "pekan", "minggu", "bulan", "tahun", "menit", "dekade", "abad"]


def date_and_quantity_patterns() -> list[dict]:
    """Token patterns for Indonesian dates ("Senin (26/10/2020)", "pukul 08.00 WIB", "bulan Mei", "2020",
    "sepekan", "berjam-jam", "abad ke-19") and counts ("5.000 orang", "tiga helikopter", "ratusan warga sipil").
    ``tandai_dates`` then joins the pieces of one date ("Selasa (10/11) pukul 02.00 waktu setempat")."""
    r = rules()
    # Few distinct predicates start a pattern: the Matcher tests each of them on every token.
    day = {"ORTH": {"IN": list(WEEKDAYS)}}
    month = {"ORTH": {"IN": list(MONTHS)}}
    optional_year = dict(_YEAR, OP="?")
    number_word = {"LOWER": {"IN": list(r.number_words)}}
    duration = {"LOWER": {"IN": _DURATIONS}}
    period = {"LOWER": {"IN": ["hari", "pekan", "minggu", "bulan", "tahun"]}}
    dates = [
        [day, {"ORTH": "("}, _SLASH_DATE, {"ORTH": ")"}],
        [day, {"LOWER": {"IN": ["pagi", "siang", "sore", "petang", "malam", "subuh"]}}, {"ORTH": "("}, _SLASH_DATE,
         {"ORTH": ")"}],  # "Sabtu malam (2/3/2024)"
        [day, {"ORTH": ",", "OP": "?"}, _DAY_NUM, month, optional_year],
        [_DAY_NUM, month, optional_year],
        [month, optional_year],  # a month alone too ("pada April"); tandai_dates drops "Okt" alone
        [{"LOWER": "bulan"}, month, optional_year],
        [_YEAR],
        [{"LOWER": "tahun"}, _YEAR, {"ORTH": "-", "OP": "?"}, {"LOWER": "an", "OP": "?"}],
        [_YEAR, {"ORTH": "-"}, {"LOWER": "an"}],
        [{"LOWER": "pukul"}, _CLOCK, {"ORTH": {"IN": _TIME_ZONES}, "OP": "?"}],
        [{"LOWER": "pukul"}, _CLOCK, {"LOWER": "waktu"}, {"LOWER": "setempat"}],
        [period, {"LOWER": {"IN": ["ini", "lalu", "depan"]}}],
        [number_word, duration],
        [{"LOWER": "beberapa"}, duration],
        [_NUM, duration],
        [number_word, {"LOWER": "setengah"}, duration],  # "dua setengah bulan"
        [{"LOWER": {"IN": _DATE_WORDS}}],  # "sepekan", "berjam-jam"
        [{"LOWER": "abad"}, {"LOWER": "ke"}, {"ORTH": "-"}, {"TEXT": {"REGEX": r"^\d{1,2}$"}}],
        [day],
    ]
    scale = {"LOWER": {"IN": list(r.number_scales)}, "OP": "?"}
    # a counted noun's first word, then its second or a modifier ("ratusan warga sipil", "tiga rumah sakit",
    # "empat petugas medis")
    first = {"LOWER": {"IN": sorted({noun.split()[0].lower() for noun in r.counted_nouns})}}
    second = {"LOWER": {"IN": sorted(set(r.counted_modifiers) | {noun.split()[1].lower() for noun in r.counted_nouns
                                                  if " " in noun})}, "OP": "?"}
    quantities = [[number, scale, first, second] for number in (number_word, _NUM)]
    return [{"label": "DATE", "pattern": p} for p in dates] + [
        {"label": "QUANTITY", "pattern": p} for p in quantities
    ]


_PERIOD_EDGES = ("awal", "akhir", "pertengahan")
# one word for a period: "sepekan", "sehari", "berjam-jam", "berhari-hari"
_DATE_WORDS = ["sehari", "sepekan", "seminggu", "sebulan", "setahun", "semalam", "sejam", "semalaman", "seharian",
               *(f"ber{d}-{d}" for d in _DURATIONS)]
_MONTH_ABBREVIATIONS = frozenset(m for m in MONTHS if len(m) == 3 and m != "Mei")  # "Okt" alone is no date
_TIMES_OF_DAY = ("pagi", "siang", "sore", "petang", "malam", "subuh", "dini hari", "tengah malam", "tengah hari")
_DATE_AFTER = ("lalu", "kemudian", "sebelumnya", "terakhir", "setelahnya")  # "tiga pekan lalu"
_DATE_BEFORE = ("lebih dari", "awal", "akhir", "pertengahan", "hampir")  # "lebih dari 10 jam", "awal Desember"


@cache
def _ids_of(words: tuple[str, ...]) -> numpy.ndarray:
    """The ``word_ids`` of fixed words, hashed once (a word's hash is the same in every vocabulary)."""
    return word_ids(get_string_id(w) for w in words)


@cache
def _words_of(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(phrase.split()) for phrase in phrases if phrase.strip())


def _phrase_at(doc: Doc, i: int, phrases: tuple[str, ...]) -> int:
    """The number of tokens of the first of ``phrases`` starting at token ``i`` (0 if none)."""
    if i >= len(doc):
        return 0
    first = doc[i].lower_  # compared before the other words: most phrases differ there
    for words in _words_of(phrases):
        if words[0] == first and i + len(words) <= len(doc) and all(
                doc[i + n].lower_ == w for n, w in enumerate(words[1:], 1)):
            return len(words)
    return 0


def _phrase_before(doc: Doc, i: int, phrases: tuple[str, ...]) -> int:
    """The number of tokens of the first of ``phrases`` ending right before token ``i`` (0 if none)."""
    if i < 1:
        return 0
    last = doc[i - 1].lower_  # compared before the other words: most phrases differ there
    for words in _words_of(phrases):
        n = len(words)
        if words[-1] == last and i - n >= 0 and all(doc[i - n + k].lower_ == w for k, w in enumerate(words[:-1])):
            return n
    return 0


@Language.component("tandai_dates")
def tandai_dates(doc: Doc) -> Doc:
    """One DATE span per date, as the gold marks it: a time of day and the hedge or edge words join the date
    ("Sabtu dini hari", "lebih dari tiga pekan lalu", "akhir Oktober"), and pieces of one date next to each
    other, or apart by a comma only, become one ("Selasa (10/11) pukul 02.00 waktu setempat", "Selasa pagi,
    11 April 2023", "akhir Oktober tahun lalu")."""
    ents = entities(doc)
    if not any(e.label_ == "DATE" for e in ents):
        return doc
    taken = {i for e in ents if e.label_ != "DATE" for i in range(e.start, e.end)}
    out: list[SpacySpan] = []
    for ent in ents:
        if ent.label_ != "DATE":
            out.append(ent)
            continue
        if len(ent) == 1 and ent.text in _MONTH_ABBREVIATIONS:
            continue
        start, end = ent.start, ent.end
        while (n := _phrase_before(doc, start, _DATE_BEFORE)) and not taken & set(range(start - n, start)):
            start -= n
        while (n := _phrase_at(doc, end, _TIMES_OF_DAY + _DATE_AFTER)) and not taken & set(range(end, end + n)):
            end += n
        previous = out[-1] if out else None
        # (a length of time after a comma is another date: "Senin (23/10), lima bulan setelah ...", "pada
        # 1949, setahun setelah ...")
        if previous is not None and previous.label_ == "DATE" and (previous.end == start or (
                previous.end + 1 == start and doc[previous.end].text == ","
                and doc[end - 1].lower_ not in _DURATIONS and doc[start].lower_ not in _DATE_WORDS)):
            start = previous.start
            out.pop()
        out.append(SpacySpan(doc, start, max(end, ent.end), label="DATE"))
    if [(e.start, e.end) for e in out] != [(e.start, e.end) for e in ents]:
        set_entities(doc, filter_spans(out))
    return doc


def gazetteer_patterns(gazetteers: list[str]) -> list[dict]:
    """Phrase patterns of the gazetteers."""
    return [{"label": label, "pattern": phrase} for name in gazetteers for label, phrase in read_gazetteer(name)]


# -- names with designators ----------------------------------------------------------------------------


@Language.factory("tandai_designators", default_config={"gazetteers": None})
def make_designators(nlp: Language, name: str, gazetteers: list[str] | None) -> "DesignatedNames":
    return DesignatedNames(nlp, gazetteer_files() if gazetteers is None else gazetteers)


class DesignatedNames:
    """"Distrik Martuni", "Republik Armenia", "Gunung Ararat", "Kementerian Pertahanan Armenia": a designator
    and the capitalised words of its name, labelled as the designator says (``data/entity_rules.toml``).

    A place's name takes up to three words; a body's up to four, a joining
    "untuk"/"dan"/"bagi" and more words, and ends at a place or an acronym from
    the gazetteers ("... Armenia", "Dewan Keamanan PBB"): "Kementerian
    Pertahanan Armenia Anna Naghdalyan" is the body, then a person. A scan
    from the designators' words, not Matcher patterns: hundreds of patterns
    with sets would cost every token of every article.
    """

    def __init__(self, nlp: Language, gazetteers: list[str]):
        r = rules()
        self.heads: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for label, designators in r.designators.items():
            for designator in designators:
                words = tuple(designator.split())
                self.heads.setdefault(words[0], []).append((words, label))
        for found in self.heads.values():
            found.sort(key=lambda item: -len(item[0]))
        self.head_ids = numpy.array([nlp.vocab.strings.add(word) for word in self.heads], dtype="uint64")
        self.places = {phrase for name in gazetteers for label, phrase in read_gazetteer(name)
                       if label in ("GPE", "LOC") and " " not in phrase}
        # a designator may start a designated place's name: "Kabupaten Pegunungan Bintang"; an event verb
        # never continues one: "Milisi Serang Pos Polisi", "Pasukan Gempur Kota" (a headline's verbs)
        verbs = default_lexicon().verbs
        # a title's first word ends a place's name, its other words ("Nasional", "Negeri") do not:
        # "Penjara Nasional", "Rumah Sakit Universitas Negeri"
        self.not_in_place = r.plain_not_name_words | r.title_heads | verbs
        # a designator's word ends a body's name ("Kementerian Pertahanan | Kantor ..."), but the inner words of
        # a place's or a building's designator may be in it: "Satgas Madago Raya", "Komisi Militer Gabungan"
        inner = r.designator_inner_words - {w.lower() for d in r.designators["ORG"] for w in d.split()}
        # a rank ends it too: "Satgas Madago Raya | Brigjen TNI ..." (a head of state's title may be in it:
        # "Kantor Presiden", "Kantor Perdana Menteri")
        ranks = r.title_heads - r.designator_words - r.titles_in_bodies
        self.not_in_body = (r.plain_not_name_words | r.designator_words | verbs | ranks) - inner
        self.particles = frozenset(r.name_particles)
        self.outside = r.designators_outside
        self.compounds = r.designator_compounds
        self.named_after_places = r.designators_named_after_places
        # "Wali Kota Bucha": a title ending in such a designator is the title tagger's
        self.title_before_outside = {t.split()[-2].lower() for t in r.titles
                                     if len(t.split()) >= 2 and t.split()[-1] in r.designators_outside}
        self.compass = r.compass_phrases
        self.compass_single = r.compass_single
        self.compass_ids = numpy.array([nlp.vocab.strings.add(w[0]) for w in self.compass], dtype="uint64")
        self.countries = r.countries
        # the nouns the rules read ("polisi", "militer", "pengungsi"): a designator with only these is no name
        self.common_nouns = frozenset(w.lower() for phrases in (
            r.people_nouns, r.counted_nouns, r.counted_modifiers, r.force_nouns, r.context_place_nouns,
            r.context_facility_nouns, r.context_nature_nouns, r.place_modifiers) for p in phrases for w in p.split())
        self.heads_of_bodies = r.title_heads | {w.lower() for w in r.name_cues if w.startswith("pimpin")}
        self.place_bodies = r.place_bodies
        self.titles = r.title_words
        self.last_set = {nlp.vocab.strings.add(w) for w in r.org_last_words}
        self.head_and_last_ids = word_ids([*self.head_ids.tolist(), *self.last_set])

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        # only the tokens that are a designator's first word or an English body's last: a Python loop over
        # every token costs more
        orths = column(doc, ORTH)
        hits = positions(orths, self.head_and_last_ids).tolist()
        found = self.english_bodies(doc, [i for i in hits if orths[i] in self.last_set])
        names: dict[str, str] = {}  # a governed place's name of several words, after its designator
        for i in hits:
            # "Serikat" in "Amerika Serikat" is inside a name, not a designator
            if doc[i].text not in self.heads or doc[i].ent_iob_ == "I":
                continue
            for words, label in self.heads[doc[i].text]:
                end = i + len(words)
                if end <= n and all(doc[i + k].text == w for k, w in enumerate(words)):
                    if end < n and (*words, doc[end].text) in self.compounds:
                        break  # "Buka Lapangan Kerja Baru": jobs, no field's name
                    stop = (self.body_end(doc, end, len(words) > 1 or " ".join(words) in self.place_bodies)
                            if label == "ORG" else self.place_end(doc, end, label))
                    if label != "ORG" and all(t.lower_ in self.common_nouns for t in doc[end:stop]):
                        break  # "Serang Sekolah Polisi dan Bandara Militer", "Kamp Pengungsi": a headline's nouns
                    if label == "FAC" and i > 0 and doc[i - 1].lower_ in self.heads_of_bodies:
                        label = "ORG"  # "Direktur Rumah Sakit Indonesia": the hospital employs, it is a body
                    if stop > end and " ".join(words) in self.outside:
                        if i == 0 or doc[i - 1].lower_ not in self.title_before_outside:
                            found.append(SpacySpan(doc, end, stop, label=label))  # "Kota [Barda]"
                    elif stop > end:
                        found.append(SpacySpan(doc, i, stop, label=label))
                        if label == "GPE" and stop - end >= 2:
                            names[_words(doc[end:stop])] = label  # "Kabupaten Parigi Moutong ... Parigi Moutong"
                    break
        ents = entities(doc)
        compassed = self.with_compass(doc, ents) if numpy.isin(orths, self.compass_ids).any() else ents
        if found or compassed is not ents:
            # "Distrik Kiwirok" and "Kota Palma" make a later "Kiwirok", "Palma" the place too
            learnt = {(span[-1].text,): span.label_ for span in found
                      if span.label_ in ("GPE", "LOC") and span[0].text not in self.named_after_places
                      and (len(span) == 2 or doc[span.start - 1].text in self.outside)
                      and span[-1].is_alpha and span[-1].lower_ not in self.not_in_place
                      and span[-1].lower_ not in self.not_in_body}
            _tag_again(doc, compassed, found, learnt | names)
            set_entities(doc, filter_spans(compassed + self.with_compass(doc, found)))
        return doc

    def with_compass(self, doc: Doc, spans: list[SpacySpan]) -> list[SpacySpan]:
        """``spans`` with a place's compass word joined to it ("Darfur Utara", "Kivu Utara"); a country's
        stays apart (countries with one are in the gazetteers, "Rusia Tengah ..." is a headline's "now");
        the same list where nothing changed."""
        out = None
        for n, span in enumerate(spans):
            if span.label_ not in ("GPE", "LOC") or span.end >= len(doc) or not doc[span.end].is_title:
                continue
            words = _compass_at(doc, span.end)
            if words and span.text not in self.countries:
                out = list(spans) if out is None else out
                out[n] = SpacySpan(doc, span.start, span.end + words, label=span.label_)
        return spans if out is None else out

    def english_bodies(self, doc: Doc, ends: list[int]) -> list[SpacySpan]:
        """"International Crisis Group", "Human Rights Watch": capitalised words, then a body word of
        ``org_last_words``; the word alone ("Group") is no name."""
        found = []
        for end in ends:
            start = end
            while (start > 0 and end - start < 4 and doc[start - 1].is_title
                   and doc[start - 1].lower_ not in self.not_in_body and doc[start - 1].lower_ not in self.titles):
                start -= 1
            if start < end:
                found.append(SpacySpan(doc, start, end + 1, label="ORG"))
        return found

    def place_end(self, doc: Doc, i: int, label: str) -> int:
        """The end of a designated place's name from ``i``: a facility's may end with a number ("Pangkalan
        Udara 101", "Jembatan Persahabatan 2"); a known place ends it ("Katedral Shusha | Rusak", "Kota Tua
        Mosul"), but a governed place's first word may be its town's ("Kecamatan Medan Johor")."""
        numbered = label == "FAC"
        j = i
        while j < len(doc) and j - i < 3:
            tok = doc[j]
            if numbered and tok.is_digit and len(tok) <= 4 and (j > i or (i >= 2 and doc[i - 2].is_title)):
                return j + 1
            if tok.ent_iob_ == "B" and tok.ent_type_ == "GPE" and (j > i or label != "GPE"):
                # a known place ends it ("Katedral Shusha | Rusak"), or two joined by a hyphen ("Beirut-Sidon")
                j += 1
                while j < len(doc):
                    if doc[j].ent_iob_ == "I":
                        j += 1
                    elif (doc[j].text == "-" and j + 1 < len(doc) and doc[j + 1].is_title
                          and not doc[j - 1].whitespace_ and not doc[j].whitespace_):
                        j += 2
                    else:
                        break
                return j
            if tok.is_title and tok.lower_ not in self.not_in_place:
                j += _hyphenated(doc, j, lambda t: t.is_title and t.lower_ not in self.not_in_place)
            elif (j > i and tok.lower_ in self.particles and j + 2 < len(doc) and doc[j + 1].text == "-"
                  and doc[j + 2].is_title):
                j += 3  # "Jalan Salah al-Din"
            elif (j > i and tok.lower_ in self.particles and tok.lower_ not in STOP_WORDS and j + 1 < len(doc)
                  and doc[j + 1].is_title and doc[j + 1].lower_ not in self.not_in_place):
                j += 2  # "Pelabuhan Mocimboa da Praia" ("di" is a preposition: "Jembatan Kerch di Krimea")
            else:
                break
        return j

    def is_body_word(self, tok) -> bool:
        return tok.is_title and tok.lower_ not in self.not_in_body and tok.text not in self.places

    def inner_word(self, doc: Doc, j: int) -> bool:
        """A capitalised little word inside a body's name, a body word after it: "Kementerian Luar Negeri"."""
        tok = doc[j]
        return tok.is_title and tok.lower_ in STOP_WORDS and j + 1 < len(doc) and self.is_body_word(doc[j + 1])

    def body_end(self, doc: Doc, i: int, long_head: bool) -> int:
        n = len(doc)
        j = i
        while j < n and j - i < 4 and (self.is_body_word(doc[j]) or self.inner_word(doc, j)) and not (
                doc[j].ent_iob_ == "B" and doc[j].ent_type_ == "GPE"):  # a place of several words ends it
            j += _hyphenated(doc, j, self.is_body_word)
        if j == i and not long_head:
            return i  # "Pasukan Azerbaijan" is a country's army, not a body's name
        if j > i and j + 1 < n and doc[j].lower_ in ("untuk", "dan", "bagi") and self.is_body_word(doc[j + 1]):
            j += 2
            if j < n and self.is_body_word(doc[j]):
                j += 1
        if j < n and (doc[j].text in self.places or (doc[j].is_upper and len(doc[j]) > 1 and doc[j].is_alpha)):
            # "... Armenia", "Dewan Keamanan PBB", "... Papua Barat"
            return j + 2 if j + 1 < n and doc[j + 1].text in self.compass_single else j + 1
        if j < n and (j > i or long_head) and doc[j].ent_iob_ == "B" and doc[j].ent_type_ == "GPE":
            j += 1
            while j < n and doc[j].ent_iob_ == "I":
                j += 1
            return j  # a place of several words ends it too: "Kedutaan Besar Republik Indonesia"
        return j


_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")


def _initial(doc: Doc, j: int) -> int:
    """The number of tokens of a name's initials at ``j`` ("R" and ".", "M.D."), 0 if none."""
    text = doc[j].text
    if len(text) == 1 and text.isupper() and j + 1 < len(doc) and doc[j + 1].text == "." and not doc[j].whitespace_:
        return 2
    return 1 if _INITIALS.match(text) else 0


def _compass_at(doc: Doc, j: int) -> int:
    """The number of tokens of a compass word ("Utara", "Barat Daya") starting at token ``j`` (0 if none)."""
    r = rules()
    if j >= len(doc) or doc[j].text not in r.compass_firsts:
        return 0
    for words in r.compass_phrases:
        if j + len(words) <= len(doc) and all(doc[j + k].text == word for k, word in enumerate(words)):
            return len(words)
    return 0


def _hyphen_pieces(doc: Doc, j: int, is_piece, most: int | None = None, backward: bool = False) -> int:
    """How many tokens the pieces that hyphens with no space join to the word at ``j`` take (up to ``most``
    pieces), after it or, ``backward``, before it: "Faustin-Archange", "Al-Jumhuri", "TRIBUN-TIMUR.COM"."""
    step = -2 if backward else 2
    k = j
    pieces = 0
    while most is None or pieces < most:
        hyphen, piece = (k - 1, k - 2) if backward else (k + 1, k + 2)
        if not (0 <= piece < len(doc) and doc[hyphen].text == "-" and not doc[min(k, piece)].whitespace_
                and not doc[hyphen].whitespace_ and is_piece(doc[piece])):
            break
        k += step
        pieces += 1
    return abs(k - j)


def _joined(doc: Doc, j: int) -> int:
    """How many tokens the name word at ``j`` takes: 1, or more where hyphens with no space join it to
    further pieces of letters, capitalised or not ("Faustin-Archange", "Chan-o-cha", "Prom-in")."""
    return 1 + _hyphen_pieces(doc, j, _is_alpha)


def _hyphenated(doc: Doc, j: int, is_word) -> int:
    """How many tokens the name word at ``j`` takes: 1, or 3 where a hyphen joins it to another name word
    with no space ("Al-Jumhuri", "Beirut-Sidon", "Al-Marjani")."""
    return 1 + _hyphen_pieces(doc, j, is_word, most=1)


def _is_alpha(token) -> bool:
    return token.is_alpha


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
        self.matcher = PhraseIndex("LOWER")
        self.phrases: dict[str, list[tuple[str, str]]] = {}
        for name in gazetteers:
            for label, phrase in read_gazetteer(name):
                if phrase != phrase.upper():
                    key = phrase.lower()
                    if key not in self.phrases:
                        self.matcher.add(key, phrase_words(phrase))
                    self.phrases.setdefault(key, []).append((label, phrase))

    def __call__(self, doc: Doc) -> Doc:
        # only where a word outside the entities has three capitals in a row ("STEPANAKERT", "KOMPAS.com")
        iob = doc.to_array(ENT_IOB)
        shapes = numpy.unique(column(doc, SHAPE)[(iob == 0) | (iob == 2)])  # IOB 0 (unset) or 2 (O): outside
        if not any(doc.vocab.strings[int(shape)].startswith("XXX") for shape in shapes.tolist()):
            return doc
        ents = entities(doc)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        found = []
        for key, start, end in self.matcher(doc):
            if any(i in taken for i in range(start, end)):
                continue
            text = doc[start:end].text
            for label, phrase in self.phrases[key]:
                if _capitalised_form_of(text, phrase):
                    found.append(SpacySpan(doc, start, end, label=label))
                    break
        if found:
            set_entities(doc, filter_spans(ents + found))
        return doc


# -- peoples --------------------------------------------------------------------------------------


def _people_noun_before(doc: Doc, start: int, r: Rules) -> str:
    """"ethnic" if an ethnic noun ("etnis", "orang asli") comes right before ``start``, "people" if another
    people noun does ("warga sipil", "13 warga", "warga negara"), else ""."""
    i = start - 1
    ethnic = False
    while i >= 0:
        word = doc[i].lower_
        ethnic = ethnic or word in r.ethnic_nouns
        pair = f"{doc[i - 1].lower_} {word}" if i > 0 else ""
        if word in r.people_nouns or pair in r.people_nouns:
            before = i - 2 if pair in r.people_nouns else i - 1
            # "wilayah separatis Nagorno-Karabakh", "pemimpin separatis Karabakh": a place's or an office's
            word_before = doc[before].lower_ if before >= 0 else ""
            if word_before in r.place_nouns or (word_before in r.title_words and word_before not in STOP_WORDS):
                return ""
            if word_before in ("dan", "serta") and _force_before(doc, before, r):
                return ""  # "pasukan (pemerintah) dan milisi Ethiopia": the country's own forces

            return "ethnic" if ethnic else "people"
        if word not in r.people_modifiers:
            return ""
        i -= 1
    return ""


def _force_before(doc: Doc, k: int, r: Rules) -> bool:
    """A force noun ends right before token ``k``, or one and a lowercase word describing it: "pasukan",
    "pasukan pemerintah", "tentara federal" (not "pasukan Armenia": another country's)."""
    if k > 0 and doc[k - 1].lower_ in r.force_nouns:
        return True
    return k > 1 and doc[k - 1].is_lower and doc[k - 2].lower_ in r.force_nouns


@Language.component("tandai_peoples")
def tandai_peoples(doc: Doc) -> Doc:
    """A country right after a people noun names its people: "warga [Palestina]{NORP}", "separatis
    [Armenia]", and so does the next one in a list: "warga [Thailand]{NORP} dan [Filipina]{NORP}"; a city
    stays a place ("warga [Gaza]{GPE}"). After an ethnic noun any place, and a capitalised word no gazetteer
    knows, is a people: "orang asli [Papua]{NORP}", "suku [Fulani]{NORP}"."""
    r = rules()
    changed = False
    ents = entities(doc)
    for n, ent in enumerate(ents):
        if ent.label_ != "GPE" or ent.start == 0:
            continue
        listed = (n > 0 and ents[n - 1].label_ == "NORP" and ents[n - 1].end == ent.start - 1
                  and doc[ent.start - 1].lower_ in ("dan", ",", "serta", "atau"))
        kind = _people_noun_before(doc, ent.start, r)
        if kind == "ethnic" or ((listed or kind) and ent.text in r.countries):
            ents[n] = SpacySpan(doc, ent.start, ent.end, label="NORP")
            changed = True
    taken = {i for e in ents for i in range(e.start, e.end)}
    new: list[SpacySpan] = []
    # after an ethnic or a group noun, or after a people and "dan" ("Yazidi dan Turkmen")
    norp_ends = {e.end for e in ents if e.label_ == "NORP" and e.end + 1 < len(doc) and doc[e.end].lower_ in ("dan", "serta")}
    candidates = (positions(column(doc, LOWER)[:-1], _ids_of(tuple(r.ethnic_nouns | r.group_nouns))) + 1).tolist()
    candidates = sorted({*candidates, *(end + 1 for end in norp_ends)}, reverse=True)
    while candidates:
        i = candidates.pop()
        tok = doc[i]
        before = doc[i - 1].lower_
        if (i in taken or not tok.is_title or tok.lower_ in r.not_name_words or not tok.is_alpha
                or (i >= 2 and doc[i - 2].lower_ in ("bernama", "nama"))):  # "bernama asli Ali": a name
            continue
        # after a group noun or in a list of peoples ("Yazidi dan Turkmen"), one word alone: "pemberontak
        # Tuareg", not "pemberontak Abu Sayyaf" (a headline's verb may follow: "Pemberontak Karen Kuasai ...")
        alone = i + 1 >= len(doc) or not doc[i + 1].is_title or doc[i + 1].lower_ in default_lexicon().verbs
        if (before in r.ethnic_nouns or (alone and (before in r.group_nouns
                                                     or (i - 1 in norp_ends and before in ("dan", "serta"))))):
            new.append(SpacySpan(doc, i, i + 1, label="NORP"))
            if i + 2 < len(doc) and doc[i + 1].lower_ in ("dan", "serta"):
                norp_ends.add(i + 1)
                bisect.insort(candidates, i + 2, key=lambda k: -k)  # the list goes on: "Lendu dan Hema"
    # a people named so is that people wherever else the article names it: "etnis Lendu ... petani Lendu"
    _tag_again(doc, ents, new, {_words(span): "NORP" for span in new})
    if changed or new:
        ents = filter_spans(ents + new) if new else ents
        set_entities(doc, _joined_peoples(doc, ents))
    return doc


def _joined_peoples(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """Two peoples side by side are one: "umat [Kristen Armenia]{NORP}" (a religion and a people)."""
    out: list[SpacySpan] = []
    for ent in ents:
        if out and ent.label_ == "NORP" and out[-1].label_ == "NORP" and out[-1].end == ent.start:
            out[-1] = SpacySpan(doc, out[-1].start, ent.end, label="NORP")
        else:
            out.append(ent)
    return out


# -- acronyms and places known from context ------------------------------------------------------------


def _words(span: SpacySpan) -> tuple[str, ...]:
    """A name as ``_tag_again`` looks for it: its tokens' texts ("al", "-", "Fashaga")."""
    return tuple(token.text for token in span)


def _tag_again(doc: Doc, ents: list[SpacySpan], found: list[SpacySpan], names: dict[tuple[str, ...], str]) -> None:
    """Every other free occurrence of a name learnt in this article (its tokens' texts, ``_words``) gets its
    label too (a name of several tokens where they follow each other: "Parigi Moutong", "al-Fashaga")."""
    if not names:
        return
    taken = {i for ent in ents + found for i in range(ent.start, ent.end)}
    firsts: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        firsts.setdefault(name[0], []).append(name)
    ids = word_ids(doc.vocab.strings.add(first) for first in firsts)
    for i in positions(column(doc, ORTH), ids).tolist():
        for name in sorted(firsts[doc[i].text], key=lambda n: -len(n)):
            end = i + len(name)
            if (end <= len(doc) and not any(k in taken for k in range(i, end))
                    and all(doc[i + k].text == w for k, w in enumerate(name))):
                found.append(SpacySpan(doc, i, end, label=names[name]))
                taken.update(range(i, end))
                break


_WEB_NAME = re.compile(r"^[a-z][a-z0-9-]*\.(com|co\.id|co|id|tv|net|org)$", re.IGNORECASE)
_DOMAINS = ("com", "id", "tv", "net", "org")
_CAPITALS_DOMAINS = ("CO",)  # "AKURAT.CO": a bare "co" only in capitals, as a dateline prints it
_DOMAIN_IDS = [get_string_id(d) for d in ("co", *_DOMAINS)]
_DOT = get_string_id(".")


def _web_names(doc: Doc) -> list[SpacySpan]:
    """Outlets named by their web address in a dateline or a credit ("jpnn.com", "Beritasatu.com",
    "TRIBUNNEWS.COM", "REPUBLIKA.CO.ID", as one token or several): ORG, the whole address."""
    orths, lowers = column(doc, ORTH), column(doc, LOWER)
    found = [SpacySpan(doc, i, i + 1, label="ORG") for i in numpy.flatnonzero(column(doc, LIKE_URL)).tolist()
             if _WEB_NAME.match(doc[i].text)]
    dots = numpy.flatnonzero(orths[1:-1] == _DOT) + 1  # a dot between two tokens
    for dot in dots[numpy.isin(lowers[dots + 1], _DOMAIN_IDS)].tolist():
        if doc[dot - 1].whitespace_ or doc[dot].whitespace_ or not doc[dot - 1].is_alpha:
            continue
        end = dot + 2
        if doc[dot + 1].lower_ == "co" and end + 1 < len(doc) and doc[end].text == "." and not doc[dot + 1].whitespace_:
            end += 2  # "CO.ID"
        if (doc[end - 1].lower_ in _DOMAINS or doc[end - 1].text in _CAPITALS_DOMAINS) and (
                end == len(doc) or not doc[end].is_alpha or doc[end - 1].whitespace_):
            start = dot - 1 - _hyphen_pieces(doc, dot - 1, _is_alpha, backward=True)  # "TRIBUN-TIMUR.COM"
            found.append(SpacySpan(doc, start, end, label="ORG"))
    return found


def _acronym(text: str) -> bool:
    """Two to eight letters (hyphens apart) in capitals, or begun and ended by one with more capitals than not:
    "IDF", "TPNPB-OPM", "LoC" (Line of Control)."""
    letters = text.replace("-", "")
    return (2 <= len(text) <= 8 and letters.isalpha() and text[0].isupper() and text[-1].isupper()
            and 2 * sum(c.isupper() for c in letters) > len(letters))


@Language.component("tandai_acronyms")
def tandai_acronyms(doc: Doc) -> Doc:
    """An acronym in brackets names what comes before it ("Pasukan Pertahanan Israel (IDF)", "kelompok
    kriminal bersenjata (KKB)"): the label of the name before it, else ORG; and it is that wherever it
    recurs in the article. A web address is an outlet's name (``_web_names``)."""
    ents = entities(doc)
    ends = {e.end: e.label_ for e in ents}
    taken = {i for e in ents for i in range(e.start, e.end)}
    learnt: dict[tuple[str, ...], str] = {}
    bounds = {(e.start, e.end) for e in ents}
    found: list[SpacySpan] = [span for span in _web_names(doc) if (span.start, span.end) not in bounds]
    orths = column(doc, ORTH)
    opening = numpy.flatnonzero(orths[:-2] == doc.vocab.strings["("])
    labels = {i: e.label_ for e in ents for i in range(e.start, e.end)}
    starts = {e.end: e.start for e in ents}
    for i in (opening[orths[opening + 2] == doc.vocab.strings[")"]] + 1).tolist():
        tok = doc[i]
        if not _acronym(tok.text):
            continue
        start = _body_before(doc, i - 1, labels, starts) if labels.get(i, "ORG") == "ORG" else None
        if start is not None:  # "Unit Perlawanan Sinjar (YBS)", "Koalisi Patriot untuk Perubahan (CPC)"
            found.append(SpacySpan(doc, start, i - 1, label="ORG"))
            if i not in taken:
                found.append(SpacySpan(doc, i, i + 1, label="ORG"))
                learnt[(tok.text,)] = "ORG"
            continue
        if i not in taken:
            label = ends.get(i - 1, "ORG")
            if label in ("ORG", "GPE", "NORP", "LOC", "FAC"):
                found.append(SpacySpan(doc, i, i + 1, label=label))
                learnt[(tok.text,)] = label
    found += _bodies_after_nouns(doc, taken | {i for span in found for i in range(span.start, span.end)})
    learnt.update((_words(span), "ORG") for span in found if len(span) == 1 and span.label_ == "ORG")
    if found:
        _tag_again(doc, ents, found, learnt)
        set_entities(doc, filter_spans(ents + found))
    return doc


def _bodies_after_nouns(doc: Doc, taken: set[int]) -> list[SpacySpan]:
    """A name no gazetteer knows after a lowercase noun for a body is that body's: "kantor berita SUNA",
    "kelompok pemantau konflik ACLED", "perusahaan Kalbar Teknik" (an acronym, or up to three capitalised
    words)."""
    r = rules()
    found = []
    for k in positions(column(doc, LOWER)[:-1], _ids_of(tuple(words[-1] for words in _words_of(r.context_body_nouns)))
                       ).tolist():
        i = k + 1
        if i in taken or not doc[k].is_lower or not _phrase_before(doc, i, r.context_body_nouns):
            continue
        tok = doc[i]
        if tok.is_upper and tok.is_alpha and 2 <= len(tok) <= 8:
            end = i + 1
        else:
            end = i
            while (end < len(doc) and end - i < 3 and end not in taken and doc[end].is_title
                   and doc[end].lower_ not in r.not_name_words):
                end += 1
        if end > i:
            found.append(SpacySpan(doc, i, end, label="ORG"))
    return found


_BODY_JOINERS = ("untuk", "dan", "bagi")


def _body_before(doc: Doc, end: int, labels: dict[int, str], starts: dict[int, int]) -> int | None:
    """Where the name of a body spelled out before its acronym in brackets starts (``end``: the bracket;
    ``starts``: the start of the entity found so far that ends at each token, if any): capitalised
    words, with "untuk"/"dan"/"bagi" or a particle between them ("Jama'at Nusrat al-Islam wal-Muslimin"),
    and something that makes them a body's name, not a person's ("SBY"): a joining word or particle, a place
    or body inside ("Unit Perlawanan Sinjar"), or a designator's word ("Pemerintah Persatuan Nasional")."""
    r = rules()
    start = end
    bodyish = False
    while start > 0 and end - start < 8:
        tok = doc[start - 1]
        lower = tok.lower_
        if tok.text[:1].isupper() and tok.text.replace("'", "").replace("-", "").isalpha():  # "Negara-negara"
            inner = start - 1 > 0 and doc[start - 2].lower_ in r.designator_words and doc[start - 2].is_title
            if ((lower in r.plain_not_name_words and not inner)
                    or (lower in r.people_nouns and lower not in r.designator_words and start < end
                        and doc[start].text[:1].isupper())
                    or (lower in r.title_heads and not (inner and lower in r.designator_words))):
                break  # "Menurut ...", "Militan Negara Islam (NIIS)", "Komandan ..." ("Komisariat Tinggi" goes on)
            bodyish = bodyish or lower in r.designator_words or labels.get(start - 1) in AFFILIATIONS
        elif start >= 2 and start < end and (
                (tok.text == "-" and not tok.whitespace_ and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha)
                or (tok.is_lower and tok.is_alpha and doc[start - 2].text == "-" and not doc[start - 2].whitespace_)
                or (tok.is_lower and doc[start - 2].text[:1].isupper() and (
                    lower in r.name_particles or doc[start].text == "-"
                    or (lower in _BODY_JOINERS and not _two_bodies(doc, start - 1, labels, r))))):
            bodyish = True  # "untuk", "al-", "wal-"
        else:
            break
        start -= 1
    while start < end and not doc[start].text[:1].isupper():
        start += 1  # a name starts with a capital ("al-Islam" inside, never first)
    if end - start < 2 or not bodyish or starts.get(end, end) <= start:
        return None  # one entity holds it all: "Pasukan Pertahanan Israel (IDF)", "Bendungan ... (GERD)"
    return start


def _two_bodies(doc: Doc, k: int, labels: dict[int, str], r: Rules) -> bool:
    """The "dan" at ``k`` joins two names, not two words of one: "Pemerintah Ethiopia dan Front Pembebasan
    ...", "PBB dan Tentara Nasional Libya" (a known name before it, a designator after it)."""
    return doc[k].lower_ == "dan" and (labels.get(k - 1) is not None or doc[k + 1].lower_ in r.designator_words)


@Language.factory("tandai_places")
def make_places(nlp: Language, name: str) -> "PlacesInContext":
    return PlacesInContext(nlp)


class PlacesInContext:
    """Names no gazetteer knows, made places by what surrounds them: a place noun before them ("kamp
    pengungsi Jabalia", "wilayah Sagaing", "kota perbatasan Myawaddy"), a known place after a comma ("di
    Sennar, Sudan"), a place noun after one ("Pemba, ibu kota provinsi ..."), a dateline ("Palu (ANTARA)
    -"), or a list with a place in it ("di Barda, Tartar dan Ganja") or announced after a place noun
    ("desa-desa itu, antara lain Cayli, Mazra dan Sur"); each is then a place wherever it recurs."""

    def __init__(self, nlp: Language):
        r = rules()
        self.nouns = tuple(sorted(r.context_place_nouns, key=lambda p: -len(p.split())))
        self.noun_words = frozenset(w for p in r.context_place_nouns for w in p.split())
        self.modifiers = tuple(sorted(r.place_modifiers, key=lambda p: -len(p.split())))
        self.facilities = tuple(sorted(r.context_facility_nouns, key=lambda p: -len(p.split())))
        self.nature = tuple(sorted(r.context_nature_nouns + r.context_region_nouns, key=lambda p: -len(p.split())))
        self.named_after_towns = r.nature_named_after_towns
        self.feature_noun_ends = frozenset(nlp.vocab.strings.add(p.split()[-1]) for p in r.nature_named_after_towns)
        self.countries = r.countries
        self.openers = r.list_openers
        self.opener_ends = frozenset(p.split()[-1] for p in r.list_openers)
        # a designator's inner word may be in a place's name: "terminal Batu Merah" ("Palang Merah")
        self.not_in_place = (r.plain_not_name_words | r.title_words | r.designator_words
                             | default_lexicon().verbs) - (r.designator_inner_words - r.title_words)
        self.compass = r.compass_single
        self.particles = frozenset(r.name_particles) - STOP_WORDS  # never "di", a preposition
        self.before_words = frozenset(p.split()[-1] for p in (
            *r.context_place_nouns, *r.place_modifiers, *r.context_facility_nouns, *r.context_nature_nouns,
            *r.context_region_nouns)) | frozenset(
            _PLACE_PREPOSITIONS)
        # (as ``doc_words`` finds them)
        add = nlp.vocab.strings.add
        self.separator_ids = word_ids(add(w) for w in (",", "dan", "serta"))
        self.preposition_ids = word_ids(add(w) for w in _LIST_PREPOSITIONS)
        self.opener_end_ids = word_ids(add(w) for w in self.opener_ends)
        self.before_ids = frozenset(add(w) for w in self.before_words)
        self.particle_ids = word_ids(add(w) for w in self.particles)
        self.comma = add(",")

    def name_end(self, doc: Doc, i: int, taken: set[int]) -> int:
        """The end of up to three capitalised words from ``i``, hyphenated ones as one ("Centre-Nord"), a
        Romance particle between two ("Mocimboa da Praia") and an Arabic article before the first ("al-Fashaga");
        a compass word ends them ("Darfur Utara")."""
        j = i + self.article_before(doc, i)
        while (j < len(doc) and j - i < 3 and j not in taken and doc[j].is_title
               and doc[j].lower_ not in self.not_in_place):
            j += _hyphenated(doc, j, lambda t: t.is_title)
            if doc[j - 1].text in self.compass and j - 1 > i:
                break
            if (j + 1 < len(doc) and doc[j].lower_ in self.particles and doc[j + 1].is_title
                    and doc[j + 1].lower_ not in self.not_in_place
                    and (j + 1 not in taken or (j + 2 < len(doc) and doc[j + 2].ent_iob_ != "I"))):
                j += 2  # the word after it too, a known one-word place inside the name ("Praia") included
        return j

    def article_before(self, doc: Doc, i: int) -> int:
        """2 where a particle in lowercase and a hyphen with no space join token ``i`` to a capitalised word
        ("al-Fashaga", "el-Geneina"), else 0."""
        if (i + 2 < len(doc) and doc[i].is_lower and doc[i].lower_ in self.particles and doc[i + 1].text == "-"
                and not doc[i].whitespace_ and not doc[i + 1].whitespace_ and doc[i + 2].is_title):
            return 2
        return 0

    def after_noun(self, doc: Doc, i: int) -> bool:
        """A lowercase place noun ends right before ``i``, or one and a modifier: "kota pesisir"."""
        i -= _phrase_before(doc, i, self.modifiers) if doc[i - 1].is_lower else 0
        return bool(_phrase_before(doc, i, self.nouns)) and doc[i - 1].is_lower and not doc[i - 1].is_sent_start

    def noun_after(self, doc: Doc, j: int) -> bool:
        """", ibu kota ...", ", sebuah desa ...", ", kota ..." after a name: an apposition saying it is a place."""
        if j + 1 >= len(doc) or doc[j].text != ",":
            return False
        k = j + 2 if doc[j + 1].lower_ in ("sebuah", "salah") else j + 1
        return k < len(doc) and doc[k].is_lower and bool(_phrase_at(doc, k, self.nouns))

    def __call__(self, doc: Doc) -> Doc:
        ents = entities(doc)
        taken = {i for e in ents for i in range(e.start, e.end)}
        people = {e.text for e in ents if e.label_ in ("PER", "ORG")}
        places = {e.start: e for e in ents if e.label_ == "GPE"}
        found: list[SpacySpan] = []
        lower_column = column(doc, LOWER)
        lowers = lower_column.tolist()
        before, comma = self.before_ids, self.comma
        capitalised = numpy.flatnonzero(column(doc, IS_TITLE)[1:] == 1) + 1  # the first token has no context
        articles = positions(lower_column[1:-2], self.particle_ids) + 1
        if len(articles):  # "perbatasan al-Fashaga": a name may start with its article
            capitalised = numpy.union1d(capitalised, articles[[self.article_before(doc, k) > 0 for k in articles.tolist()]])
        for i in capitalised.tolist():
            # cheap first: a place noun or preposition before it, or a comma right after its name
            if i in taken or (lowers[i - 1] not in before and comma not in lowers[i + 1:i + 4]):
                continue
            j = self.name_end(doc, i, taken)
            if j == i or doc[i:j].text in people:
                continue
            before_place = j + 1 < len(doc) and doc[j].text == "," and (j + 1) in places
            if (self.after_noun(doc, i) or (before_place and doc[i - 1].lower_ in _PLACE_PREPOSITIONS)
                    or (self.noun_after(doc, j) and not doc[i - 1].is_title)):
                found.append(SpacySpan(doc, i, j, label="GPE"))
                taken.update(range(i, j))
            elif doc[i - 1].is_lower and _phrase_before(doc, i, self.facilities):
                found.append(SpacySpan(doc, i, j, label="FAC"))  # "pangkalan militer [Thingannyinaung]"
                taken.update(range(i, j))
            elif doc[i - 1].is_lower and _phrase_before(doc, i, self.nature):
                found.append(SpacySpan(doc, i, j, label="LOC"))  # "sungai [Atbara]", "gunung [Sinabung]"
                taken.update(range(i, j))
        renamed = self.features_named_after_towns(doc, ents)
        found += self.datelines(doc, ents, taken)
        places.update((span.start, span) for span in found)
        found += self.lists(doc, places, taken, people)
        if found:
            # a river or mountain recurs as itself ("al-Fashaga" too); a facility's name alone may be its town's
            learnt = {_words(span): span.label_ for span in found
                      if span.label_ != "FAC" and not any(token.whitespace_ for token in span[:-1])}
            _tag_again(doc, ents, found, learnt)
        if found or renamed:
            set_entities(doc, filter_spans(ents + found))
        return doc

    def features_named_after_towns(self, doc: Doc, ents: list[SpacySpan]) -> bool:
        """A known town right after a lowercase noun for a feature named after towns is the feature: "sungai
        [Atbara]{LOC}", "gunung [Sinjar]{LOC}" (``ents`` changed in place; whether any was)."""
        renamed = False
        lowers = column(doc, LOWER)
        for n, ent in enumerate(ents):
            if (ent.start > 0 and lowers[ent.start - 1] in self.feature_noun_ends and ent.label_ == "GPE"
                    and _phrase_before(doc, ent.start, self.named_after_towns) and ent.text not in self.countries):
                ents[n] = SpacySpan(doc, ent.start, ent.end, label="LOC")
                renamed = True
        return renamed

    def datelines(self, doc: Doc, ents: list[SpacySpan], taken: set[int]) -> list[SpacySpan]:
        """The place a line starts with before its outlet: "Palu (ANTARA) -", "PALU, KOMPAS.com -"."""
        found = []
        for org in ents:
            if org.label_ != "ORG" or org.start < 2:
                continue
            close = org.end + 1 if doc[org.start - 1].text == "(" and org.end < len(doc) and doc[org.end].text == ")" else org.end
            if doc[org.start - 1].text not in ("(", ",") or close >= len(doc) or doc[close].text not in ("-", "–", "—", ":"):
                continue
            end = org.start - 1
            start = end
            while (start > 0 and end - start < 2 and start - 1 not in taken and doc[start - 1].is_alpha
                   and doc[start - 1].text[0].isupper() and not doc[start - 1].is_sent_start):
                start -= 1
            if (start > 0 and start - 1 not in taken and doc[start - 1].is_alpha and doc[start - 1].text[0].isupper()
                    and doc[start - 1].is_sent_start):
                start -= 1
                found.append(SpacySpan(doc, start, end, label="GPE"))
                taken.update(range(start, end))
        return found

    def lists(self, doc: Doc, places: dict[int, SpacySpan], taken: set[int], people: set[str]) -> list[SpacySpan]:
        """Unknown names in a list of places: "di Barda, Tartar dan Ganja" (a place in the list, a place
        preposition or noun before it), "antara lain Cayli, Mazra dan Sur" (a place noun before the opener)."""
        found: list[SpacySpan] = []
        lowers = column(doc, LOWER)
        # a list goes on only at a comma, "dan" or "serta": look no further where none follows
        seps = set(positions(lowers, self.separator_ids).tolist())
        for head in sorted(places):
            span = places[head]
            if span.end not in seps:
                continue
            context = doc[head - 1].lower_ in _PLACE_PREPOSITIONS or self.after_noun(doc, head) if head else False
            if context or span[0].lower_ in self.noun_words:  # "Desa Shikharkh dan Garadaghli"
                found += self.members(doc, span.end, places, taken, people)[0]
        # two names or more after a place preposition: "ke Mueda, Nangade dan Montepuez", "di Jolfa dan Aslanduz"
        prepositions = positions(lowers[:-1], self.preposition_ids)
        for k in prepositions[column(doc, IS_TITLE)[prepositions + 1] == 1].tolist():
            first = k + 1
            j = self.name_end(doc, first, taken) if first not in places else first
            if j > first and j in seps and doc[first:j].text not in people:
                members, items = self.members(doc, j, places, taken, people)
                if items >= 2 or (items == 1 and j - first == 1 and all(len(m) == 1 for m in members)):
                    found += [SpacySpan(doc, first, j, label="GPE"), *members]
                    taken.update(range(first, j))
                else:
                    taken.difference_update(i for m in members for i in range(m.start, m.end))
        ends = positions(lowers, self.opener_end_ids).tolist()
        for k in ends:
            if not _phrase_before(doc, k + 1, self.openers):
                continue
            sent_start = doc[k].sent.start
            if not any(w.lower_.split("-")[0] in self.noun_words for w in doc[max(sent_start, k - 8):k]):
                continue
            first = k + 1
            known = places.get(first)
            j = known.end if known else self.name_end(doc, first, taken)
            if j > first and doc[first:j].text not in people:
                members = self.members(doc, j, places, taken, people)[0]
                if members and not known:
                    members.insert(0, SpacySpan(doc, first, j, label="GPE"))
                    taken.update(range(first, j))
                found += members
        return found

    def members(self, doc: Doc, k: int, places: dict[int, SpacySpan], taken: set[int],
                people: set[str]) -> tuple[list[SpacySpan], int]:
        """The unknown names of a list going on from token ``k`` (", X", " dan X"), if it ends with "dan"/"serta",
        and how many items (known places too) follow ``k``."""
        new: list[tuple[int, int]] = []
        items = 0
        while k + 1 < len(doc):
            last = doc[k].lower_ in ("dan", "serta")
            nxt = k + 1
            if doc[k].text == "," and doc[nxt].lower_ in ("dan", "serta"):
                last, nxt = True, nxt + 1
            elif doc[k].text != "," and not last:
                break
            items += 1
            if nxt in places:
                k = places[nxt].end
            else:
                j = self.name_end(doc, nxt, taken)
                if j == nxt or doc[nxt:j].text in people or (j < len(doc) and doc[j].is_title):
                    return [], 0
                new.append((nxt, j))
                k = j
            if last:
                taken.update(i for s, e in new for i in range(s, e))
                return [SpacySpan(doc, s, e, label="GPE") for s, e in new], items
        return [], 0


_PLACE_PREPOSITIONS = ("di", "ke", "dari", "menuju", "dekat", "sekitar", "kota")
_LIST_PREPOSITIONS = ("di", "ke", "menuju")  # "dari" lists sources too: "dari Reuters, AFP dan AP"


# -- titles -----------------------------------------------------------------------------------------


@Language.factory("tandai_titles", default_config={"max_descriptor": 4, "max_name": 4})
def make_titles(nlp: Language, name: str, max_descriptor: int, max_name: int) -> "TitleTagger":
    return TitleTagger(nlp, max_descriptor, max_name)


_PREPOSITIONS = ("dari", "untuk", "di")


class TitleTagger:
    """Names after a title (Presiden, Menlu, Gubernur ...) are people, and so are their surnames later.

    Only a name makes a title a person's: "Menteri Luar Negerinya" tags
    nothing. Affiliations between the title and the name are skipped
    ("Presiden Rusia Vladimir Putin"); "Gubernur Kherson, Vladimir Saldo" makes
    the words before the comma the place (GPE, for a territory's title or after
    "dari"/"untuk") and the words after it the person. A photo credit's agency
    before a slash is a title too ("REUTERS/Ammar Awad", names in capitals
    allowed there). A surname is carried over, with the given names before it,
    only where no place, body or people has that name.
    """

    def __init__(self, nlp: Language, max_descriptor: int, max_name: int):
        r = rules()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher.add("TITLE", [nlp.make_doc(t) for t in (*r.titles, *r.name_cues)])
        self.matcher.add("SAYING", [nlp.make_doc(v) for v in r.name_before])
        self.saying = nlp.vocab.strings["SAYING"]
        # a title in lowercase begins a sentence capitalised: "Utusan khusus AS ...", "Analis keamanan ..."
        capitalised = {t: t[0].upper() + t[1:] for t in r.titles if t[0].islower() and t[0].upper() + t[1:] not in r.titles}
        self.matcher.add("SENTENCE_TITLE", [nlp.make_doc(t) for t in capitalised.values()])
        self.sentence_title = nlp.vocab.strings["SENTENCE_TITLE"]
        self.naming_cues = r.naming_cues
        self.not_person_nouns = r.not_person_nouns | {p.split()[-1] for p in (
            *r.context_place_nouns, *r.place_nouns, *r.context_facility_nouns, *r.context_nature_nouns,
            *r.context_body_nouns)} - r.people_nouns
        self.countries = r.countries
        self.descriptor_titles = r.descriptor_titles | {capitalised[t] for t in r.descriptor_titles if t in capitalised}
        self.territorial_titles = r.territorial_titles | {capitalised[t] for t in r.territorial_titles if t in capitalised}
        # "Presiden Putin Serang ...", "... Papua Barat": no name word
        self.not_name = r.not_name_words | default_lexicon().verbs | {w.lower() for w in r.compass_single}
        self.title_words = r.title_words
        self.particles = frozenset(r.name_particles)
        self.portfolio_words = r.portfolio_words
        # ("kamp pengungsi" is a place, "Seorang pengungsi, Hevin Ahmed," a person)
        self.place_words = frozenset(w for p in r.context_place_nouns for w in p.split()) - r.people_nouns
        self.people_nouns = r.people_nouns
        self.openers = r.list_openers
        self.opener_end_ids = word_ids(nlp.vocab.strings.add(p.split()[-1]) for p in r.list_openers)
        self.person_words = (r.people_nouns | r.title_heads) - STOP_WORDS
        self.max_descriptor = max_descriptor
        self.max_name = max_name
        add = nlp.vocab.strings.add
        self.comma, self.alias_ids, self.bracket_ids = add(","), word_ids([add("alias")]), word_ids([add("(")])

    def is_name(self, token, capitals: bool = False) -> bool:
        """A word that can start a name (``capitals``: also in capitals, as photo credits print names); a
        letter alone is none ("AFP/I-1"), unless an initial (``_initial``)."""
        text = token.text
        lower = token.lower_
        if (not text[:1].isupper() or token.is_punct or lower in self.not_name or not text[-1:].isalpha()
                or len(text) == 1):
            return False
        if text.isupper() and len(text) > 1 and not capitals:
            return False
        return not (lower.endswith("nya") and lower[:-3] in self.title_words)  # "Negerinya": his country's

    def name_end(self, doc: Doc, i: int, stop: set[int], capitals: bool = False) -> int:
        """The end of the name starting at ``i`` ("Mathius D Fakhiri", "Mahfud MD", "Abdel Fattah al-Burhan",
        "Faustin-Archange Touadéra", "Prayut Chan-o-cha", "Apollinaire Joachim Kyélem de Tambèla"): up to
        ``max_name`` name words, a particle between two of them not counted."""
        if i >= len(doc) or i in stop:
            return i
        initial = _initial(doc, i)
        if initial and i + initial < len(doc) and self.is_name(doc[i + initial], capitals):
            j = i + initial + _joined(doc, i + initial)  # "R. Ranoco", "M.D. Mughal"
        elif self.is_name(doc[i], capitals):
            j = i + _joined(doc, i)
        else:
            return i
        words = 1
        while j < len(doc) and words < self.max_name and j not in stop:
            tok = doc[j]
            if self.is_name(tok, capitals) or (tok.is_upper and len(tok) <= 2 and tok.is_alpha):
                j += _joined(doc, j)
            elif (tok.lower_ in self.particles and j + 2 < len(doc) and doc[j + 1].text == "-"
                  and self.is_name(doc[j + 2])):
                j += 2 + _joined(doc, j + 2)
            elif (tok.lower_ in self.particles and tok.is_lower and tok.lower_ not in STOP_WORDS
                  and j + 1 < len(doc) and j + 1 not in stop and self.is_name(doc[j + 1])):
                j += 1 + _joined(doc, j + 1)  # "Kyélem de Tambèla" ("di" is a preposition: "Jokowi di Istana")
            else:
                break
            words += 1
        return j

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        titles = filter_spans([doc[s:e] for key, s, e in matches if key != self.saying and (
            key != self.sentence_title or any(t.is_lower for t in doc[s:e]) or (e < len(doc) and doc[e].is_lower))])
        title_tokens = {i for t in titles for i in range(t.start, t.end)}
        # "Wali Kota Bucha ...": a designator that is a title's last word starts no name
        everything = entities(doc)
        ents = [e for e in everything if e.start not in title_tokens]
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        affiliated = {i for ent in ents if ent.label_ in AFFILIATIONS for i in range(ent.start, ent.end)}
        found: list[SpacySpan] = []
        credits = [doc[e.start:e.end] for e in ents if e.label_ == "ORG" and e.end < len(doc) and doc[e.end].text == "/"]
        named: set[int] = set()  # the tokens of titles followed by a name
        places = {e.start: e for e in ents if e.label_ == "GPE"}
        for title in filter_spans(titles + credits):
            if title.text in self.naming_cues and self.names_a_thing(doc, title.start):
                continue  # "operasi bernama Sindoor", "negara merdeka bernama Ambazonia"
            capitals = title[-1].text in ("/", ":") or (title.end < len(doc) and doc[title.end].text == "/")
            i = self.name_start(doc, title, affiliated)
            j = self.name_end(doc, i, affiliated, capitals)
            surname = (i < j < len(doc) - 1 and j in places and j - i < self.max_name and len(places[j]) == 1
                       and not self.is_name(doc[j + 1]) and j + 1 not in affiliated
                       and places[j].text not in self.countries)
            if surname:
                j += 1  # a town's name may be a surname: "Menteri Pertahanan Carlos Holmes Trujillo berjanji"
            elif j > i and (compass := _compass_at(doc, j)):
                # "Gubernur Darfur Utara", "Komandan Sektor Timur": a place's or a sector's name, then maybe a
                # person's ("Gubernur Kivu Utara, Mayjen ...")
                place = range(i, j + compass)
                if title.text in self.territorial_titles and not any(k in taken for k in place):
                    found.append(SpacySpan(doc, i, j + compass, label="GPE"))
                    taken.update(place)
                i = self.name_start(doc, title, affiliated | set(place))
                j = self.name_end(doc, i, affiliated, capitals)
            if j == i or any(k in taken for k in range(i, j - surname)):
                continue
            named.update(range(title.start, title.end))
            place = self.place_before_name(doc, title, i, j, affiliated, taken)
            if place:
                if place[1] > i:
                    found.append(SpacySpan(doc, i, place[1], label="GPE"))
                taken.update(range(i, place[2]))
                i, j = place[2], place[3]
            found.append(SpacySpan(doc, i, j, label="PER"))
            taken.update(range(i, j))
        self.names_before_verbs(doc, [s for key, s, _ in matches if key == self.saying], found, taken)
        self.names_in_apposition(doc, found, taken)
        self.names_by_shape(doc, ents, titles, found, taken)
        self.names_listed_after(doc, ents, found, taken)
        self.names_after_openers(doc, found, taken)
        ents = self.given_names_before(doc, ents, taken)
        self.carry_surnames(doc, ents, found, taken)
        # a title that names no one is no title: what it holds stays ("berpangkat Brigjen [TNI]{ORG}")
        ents += [e for e in everything if e.start in title_tokens and e.start not in named]
        set_entities(doc, filter_spans(ents + found))
        return doc

    def names_a_thing(self, doc: Doc, cue: int) -> bool:
        """A noun for a thing, a place or a body is among the two words before a naming cue at ``cue``."""
        for k in range(cue - 1, max(cue - 3, -1), -1):
            if doc[k].lower_ in self.not_person_nouns:
                return True
            if not doc[k].is_lower:
                break
        return False

    def place_before_name(self, doc: Doc, title: SpacySpan, i: int, j: int, affiliated: set[int],
                          taken: set[int]) -> tuple[str, int, int, int] | None:
        """("GPE", place end, name start, name end) where the words after a title are a place, then a name:
        "Gubernur Kherson, Vladimir Saldo", "mitranya dari Azerbaijan, Jeyhun Bayramov", "Wali Kota Kyiv Vitali
        Klitschko"; the place end equals ``i`` where the place is not to be tagged."""
        territorial = title.text in self.territorial_titles
        after_preposition = doc[i - 1].lower_ in _PREPOSITIONS
        if j + 1 < len(doc) and doc[j].text == "," and (j + 1) not in taken:
            k = self.name_end(doc, j + 1, affiliated)
            listed = k < len(doc) and (doc[k].lower_ == "dan" or (
                doc[k].text == "," and k + 1 < len(doc) and self.is_name(doc[k + 1])))
            if k > j + 1 and not listed:  # not a list of names: "Presiden Putin, Erdogan dan Macron"
                return "GPE", j if territorial or after_preposition else i, j + 1, k
        if territorial and j - i >= 3 and i == title.end:  # "Wali Kota Kyiv Vitali Klitschko": the city first
            return "GPE", i + 1, i + 1, j
        return None

    def names_before_verbs(self, doc: Doc, verbs: list[int], found: list[SpacySpan], taken: set[int]) -> None:
        """Two to four name words right before a verb of saying are a person: "Amina Diallo mengatakan"."""
        for verb in verbs:
            start = verb
            while (start > 0 and verb - start < self.max_name and start - 1 not in taken
                   and self.is_name(doc[start - 1])):
                start -= 1
            cut = start > 0 and start - 1 not in taken and self.is_name(doc[start - 1])  # longer than a name
            if verb - start >= 2 and not cut:
                found.append(SpacySpan(doc, start, verb, label="PER"))
                taken.update(range(start, verb))

    def names_after_openers(self, doc: Doc, found: list[SpacySpan], taken: set[int]) -> None:
        """Names of two to four words listed after an opener, where the words before it in the sentence name
        people and no place: "tiga mantan presiden, yakni Joaquim Chissano, Ellen Johnson Sirleaf, dan Kgalema
        Motlanthe" (a place noun there makes them places: ``PlacesInContext.lists``)."""
        for k in positions(column(doc, LOWER), self.opener_end_ids).tolist():
            if not _phrase_before(doc, k + 1, self.openers):
                continue
            before = {w.lower_.split("-")[0] for w in doc[max(doc[k].sent.start, k - 8):k]}
            if not before & self.person_words or before & self.place_words:
                continue
            i = k + 1
            while True:
                j = self.name_end(doc, i, taken)
                if j - i < 2 or any(t in taken for t in range(i, j)):
                    break
                found.append(SpacySpan(doc, i, j, label="PER"))
                taken.update(range(i, j))
                i = j + (j < len(doc) and doc[j].text == ",")
                i += i < len(doc) and doc[i].lower_ in ("dan", "serta")
                if i == j:
                    break  # no comma or "dan": the list has ended

    def names_listed_after(self, doc: Doc, ents: list[SpacySpan], found: list[SpacySpan], taken: set[int]) -> None:
        """Two to four name words after a person and "dan"/"serta" are another person: "pastor Pierluigi
        Maccalli dan Nicola Chiacchio", "Hapilon dan Omar Maute" (one word alone is not: "Putin dan Erdogan"
        may be anything)."""
        people = sorted((span for span in ents + found if span.label_ == "PER"), key=lambda span: span.start)
        for person in people:
            k = person.end
            while k + 2 < len(doc) and doc[k].lower_ in ("dan", "serta") and k + 1 not in taken:
                j = self.name_end(doc, k + 1, taken)
                if j - (k + 1) < 2 or (j < len(doc) and doc[j].is_title) or any(t in taken for t in range(k + 1, j)):
                    break
                found.append(SpacySpan(doc, k + 1, j, label="PER"))
                taken.update(range(k + 1, j))
                k = j

    def names_in_apposition(self, doc: Doc, found: list[SpacySpan], taken: set[int]) -> None:
        """Two to four name words between commas after a lowercase word, or after a people noun and its place,
        are a person: "ayahnya, Heydar Aliyev, ...", "Direkturnya, Lionel Dyck, ...", "anggota lainnya, Jaka
        Ramadhan, ...", "Seorang warga Tartar, Tofig Huseynov, ..."."""
        commas = numpy.flatnonzero(column(doc, ORTH)[:-1] == self.comma)
        for i in (commas[column(doc, IS_TITLE)[commas + 1] == 1] + 1).tolist():  # a capitalised word after the comma
            word = doc[i - 2].lower_
            if i < 2 or i in taken or not doc[i - 2].is_alpha:
                continue
            resident = i >= 3 and i - 2 in taken and doc[i - 3].lower_ in self.people_nouns  # "warga Tartar, ..."
            if not (doc[i - 2].is_lower or word.endswith("nya") or resident):
                continue
            if word.removesuffix("nya") in self.place_words:  # "ibu kotanya, Velmora Raya, ...": a place
                continue
            j = self.name_end(doc, i, taken)
            if j - i >= 2 and j < len(doc) and doc[j].text == "," and not any(k in taken for k in range(i, j)):
                found.append(SpacySpan(doc, i, j, label="PER"))
                taken.update(range(i, j))

    def name_start_before(self, doc: Doc, end: int, taken: set[int], capitals: bool = False) -> int:
        """The start of up to ``max_name`` name words ending right before ``end`` (a sentence's first word too)."""
        start = end
        while start > 0 and end - start < self.max_name and start - 1 not in taken and self.is_name(doc[start - 1],
                                                                                                     capitals):
            start -= 1
            if doc[start].is_sent_start:
                break
        return start

    def names_by_shape(self, doc: Doc, ents: list[SpacySpan], titles: list[SpacySpan], found: list[SpacySpan],
                       taken: set[int]) -> None:
        """Names the words around them make a person's: both sides of "alias" ("Askar alias Jaid"), a name
        before an age in brackets ("Ely (57), warga ..."), a photographer before the agency's slash ("Foto:
        Omar Haj Kadour/AFP", two words at least), a name before a comma and a title in lowercase ("Ibrahim
        Biari, komandan Hamas", "Hapilon, pemimpin ..."; one word only where no sentence starts with it)."""
        spans: list[tuple[int, int]] = []
        for title in titles:
            if title.start >= 2 and title[0].is_lower and doc[title.start - 1].text == ",":
                start = self.name_start_before(doc, title.start - 1, taken)
                words = title.start - 1 - start
                if words >= 2 or (words == 1 and not doc[start].is_sent_start):
                    spans.append((start, title.start - 1))
        for k in positions(column(doc, LOWER), self.alias_ids).tolist():
            spans += [(self.name_start_before(doc, k, taken), k), (k + 1, self.name_end(doc, k + 1, taken))]
        for k in positions(column(doc, ORTH), self.bracket_ids).tolist():
            if (k + 2 < len(doc) and doc[k + 2].text == ")" and doc[k + 1].is_digit and len(doc[k + 1]) <= 2
                    and doc[k + 1].text[0] != "0"):
                spans.append((self.name_start_before(doc, k, taken), k))  # an age: "Naw Eh Paw (38)"
        for ent in ents:
            if (ent.label_ == "ORG" and ent.start >= 3 and doc[ent.start - 1].text == "/"
                    and not doc[ent.start - 2].whitespace_ and not doc[ent.start - 1].whitespace_):
                start = self.name_start_before(doc, ent.start - 1, taken, capitals=True)
                if ent.start - 1 - start >= 2:
                    spans.append((start, ent.start - 1))
        for start, end in spans:
            if end > start and not any(i in taken for i in range(start, end)):
                found.append(SpacySpan(doc, start, end, label="PER"))
                taken.update(range(start, end))

    def given_names_before(self, doc: Doc, ents: list[SpacySpan], taken: set[int]) -> list[SpacySpan]:
        """A person the gazetteer knows by surname takes the given names written before it: "Heydar
        Aliyev" where the gazetteer has "Aliyev" (a title or a sentence start before them ends them)."""
        out = list(ents)
        for n, ent in enumerate(ents):
            if ent.label_ != "PER":
                continue
            start = ent.start
            while (start > 0 and start - 1 not in taken and ent.end - start < self.max_name
                   and self.is_name(doc[start - 1]) and not doc[start - 1].is_sent_start):
                start -= 1
            if start < ent.start:
                out[n] = SpacySpan(doc, start, ent.end, label="PER")
                taken.update(range(start, ent.start))
        return out

    def carry_surnames(self, doc: Doc, ents: list[SpacySpan], found: list[SpacySpan], taken: set[int]) -> None:
        """A person's surname elsewhere in the article is the person too, with the given names before it
        ("Heydar Aliyev" after "Ilham Aliyev"), unless a place, body or people has that name."""
        strings, orths = doc.vocab.strings, column(doc, ORTH).tolist()
        not_surnames = {strings[o] for ent in ents + found if ent.label_ in AFFILIATIONS for o in orths[ent.start:ent.end]}
        surnames = {strings[orths[span.end - 1]] for span in found if span.label_ == "PER"} | {
            strings[orths[ent.end - 1]] for ent in ents if ent.label_ == "PER" and len(ent) > 1
        }
        surnames -= not_surnames
        if not surnames:
            return
        # a given name the article wrote with the surname may start a sentence: "Ali Kalora ... \n\nAli Kalora yang"
        given = {strings[o] for span in found + ents if span.label_ == "PER" for o in orths[span.start:span.end - 1]}
        ids = word_ids(doc.vocab.strings.add(name) for name in surnames)
        for i in positions(column(doc, ORTH), ids).tolist():
            token = doc[i]
            if token.i not in taken:
                start = token.i
                while (start > 0 and token.i - start < self.max_name - 1 and start - 1 not in taken
                       and self.is_name(doc[start - 1])
                       and (not doc[start - 1].is_sent_start or doc[start - 1].text in given)):
                    start -= 1
                found.append(SpacySpan(doc, start, token.i + 1, label="PER"))
                taken.update(range(start, token.i + 1))

    def name_start(self, doc: Doc, title: SpacySpan, affiliated: set[int]) -> int:
        """The first token after the title and its affiliations ("Presiden Rusia", "juru bicara kementerian ...")."""
        i = title.end
        lowercase_left = self.max_descriptor if title.text in self.descriptor_titles else 0
        while i < len(doc):
            tok = doc[i]
            if tok.is_space and "\n" in tok.text:
                break  # a name never continues past a line break
            if i in affiliated or tok.text in (",", "/", ":") or tok.is_space:
                if tok.text == ",":
                    lowercase_left = 0  # "tokoh gereja, lalu dievakuasi ke X": the descriptor ended at the comma
                i += 1
            elif tok.text == "(" and i - 1 in affiliated and i + 2 < len(doc) and i + 1 in affiliated \
                    and doc[i + 2].text == ")":
                i += 3  # "Ketua Komite Peralihan Aceh (KPA), Muzakir Manaf"
            elif tok.text in self.portfolio_words or (tok.lower_ in ("dan", "untuk") and i + 1 < len(doc)
                                                      and doc[i + 1].text in self.portfolio_words):
                i += 1  # "Menteri Keamanan X", "Menteri Koordinator Bidang Politik dan Keamanan X", "Komisaris
                # Tinggi PBB untuk Hak Asasi Manusia X"
            elif tok.is_lower and lowercase_left:
                lowercase_left -= 1
                i += 1
            else:
                break
        return i
