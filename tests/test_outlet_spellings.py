"""One spelling per outlet in a database: an article of an outlet already stored under another spelling
is stored under that one, so the article list names each outlet one way.

The pages are invented for these tests: two of one outlet, which its pages spell "RADARMALANG.ID" and
"Radar Malang" (the cleaner reads "Radarmalang" off the one and "Radar Malang" off the other).
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from conftest import run_tandai, sqlite3_cli

from annotations.corpus import clean_page, import_articles, read_articles
from annotations.store import Store


def _page(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


ADDRESS_PAGE = _page(
    "RADARMALANG.ID", "Banjir Rendam Dua Desa di Kabupaten Malang, Ratusan Warga Mengungsi",
    "Senin, 02 November 2020 10:25 WIB",
    "MALANG, RADARMALANG.ID – Banjir merendam dua desa di Kabupaten Malang sejak Minggu malam dan ratusan"
    " warga mengungsi ke balai desa.",
    "Petugas menyebut air mulai surut pada Senin siang, tetapi warga belum berani kembali ke rumah mereka.")
NAME_PAGE = _page(
    "Radar Malang", "Jembatan Putus, Warga Dua Dusun di Batu Terisolasi Sejak Pagi", "Selasa, 03 November 2020 08:10 WIB",
    "BATU, RADAR MALANG – Jembatan yang menghubungkan dua dusun di Kota Batu putus diterjang arus sungai pada"
    " Selasa pagi.",
    "Warga kini harus memutar sejauh tujuh kilometer untuk mencapai pasar terdekat, kata kepala desa.",
    "© 2020 Radar Malang")
OTHER_PAGE = _page(
    "Malang Post", "Harga Cabai di Pasar Besar Malang Naik Dua Kali Lipat", "Rabu, 04 November 2020 09:00 WIB",
    "MALANG, MALANG POST – Harga cabai rawit di Pasar Besar Malang naik dua kali lipat dalam sepekan terakhir.",
    "Pedagang menyebut pasokan dari Kabupaten Malang berkurang karena hujan deras, kata seorang pedagang.")


def test_the_pages_spell_their_outlet_two_ways():
    assert clean_page(ADDRESS_PAGE).source == "Radarmalang"
    assert clean_page(NAME_PAGE).source == "Radar Malang"


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, "utf-8")
    return str(path)


def test_a_later_import_stores_an_outlet_under_the_spelling_already_there(tmp_path: Path):
    db = tmp_path / "t.db"
    for name, text in (("a.txt", ADDRESS_PAGE), ("b.txt", NAME_PAGE), ("c.txt", OTHER_PAGE)):
        code, _, err = run_tandai("subprocess", ["--db", str(db), "import", _write(tmp_path, name, text)])
        assert code == 0, err
    rows = sqlite3_cli(db, "SELECT source, coalesce(json_extract(meta, '$.outlet_as_read'), '-') FROM documents"
                           " WHERE title NOT LIKE '%Karabakh%' ORDER BY seq").splitlines()
    assert rows[-3:] == ["Radarmalang|-", "Radarmalang|Radar Malang", "Malang Post|-"]
    assert sqlite3_cli(db, "SELECT count(DISTINCT source) FROM documents WHERE source LIKE '%alang%'") == "2"


def test_one_import_of_two_spellings_stores_the_first(tmp_path: Path):
    db = tmp_path / "t.db"
    pages = [_write(tmp_path, "a.txt", NAME_PAGE), _write(tmp_path, "b.txt", ADDRESS_PAGE)]
    code, _, err = run_tandai("subprocess", ["--db", str(db), "import", *pages])
    assert code == 0, err
    assert sqlite3_cli(db, "SELECT DISTINCT source FROM documents WHERE source LIKE '%alang%'") == "Radar Malang"


def test_a_jsonl_outlet_and_a_merged_article_take_the_spelling_too(tmp_path: Path):
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    with Store(ours) as store:
        import_articles(store, read_articles([_write(tmp_path, "a.txt", ADDRESS_PAGE)]))
    lines = [{"text": "Banjir surut di Kota Batu pada Rabu pagi.", "source": "radarmalang.id"},
             {"text": "Warga kembali ke rumah pada Kamis.", "source": "Radar  Malang"}]
    jsonl = _write(tmp_path, "x.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    code, _, err = run_tandai("subprocess", ["--db", str(ours), "import", jsonl])
    assert code == 0, err
    with Store(theirs) as store:
        import_articles(store, read_articles([_write(tmp_path, "b.txt", NAME_PAGE)]))
    code, _, err = run_tandai("subprocess", ["--db", str(ours), "--annotator", "ana", "merge", str(theirs)])
    assert code == 0, err
    assert sqlite3_cli(ours, "SELECT DISTINCT source FROM documents WHERE source LIKE '%alang%'") == "Radarmalang"
    assert sqlite3_cli(ours, "SELECT coalesce(json_extract(meta, '$.outlet_as_read'), '-') FROM documents"
                             " WHERE source = 'Radarmalang' ORDER BY seq").splitlines() == [
        "-", "radarmalang.id", "Radar  Malang", "Radar Malang"]


def test_two_spellings_stored_before_stay_as_they_are(tmp_path: Path):
    """A database made before one spelling per outlet holds both: the upgrade leaves its articles as
    stored, and later articles take the earliest article's spelling."""
    db = tmp_path / "old.db"
    with Store(db) as store:
        import_articles(store, read_articles([_write(tmp_path, "a.txt", ADDRESS_PAGE)]))
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:  # as schema 11 stored a second spelling
        # stored later (a later rowid) but earlier in the corpus's order (seq), and after it alphabetically
        conn.execute("INSERT INTO documents(id, title, text, raw, source, url, published, lang, meta, tokens, seq,"
                     " added_at) SELECT id || 'b', title, text || ' Lagi.', raw, 'radar malang', url, published,"
                     " lang, meta, tokens, seq - 1, added_at FROM documents WHERE source = 'Radarmalang'")
        conn.execute("DROP TABLE outlets")
        conn.execute("UPDATE meta SET value = '11' WHERE key = 'schema_version'")
    before = sqlite3_cli(db, "SELECT id, source, meta FROM documents ORDER BY seq")
    code, _, err = run_tandai("subprocess", ["--db", str(db), "import", _write(tmp_path, "b.txt", NAME_PAGE)])
    assert code == 0, err
    after = sqlite3_cli(db, "SELECT id, source, meta FROM documents ORDER BY seq")
    assert after.startswith(before + "\n")  # the articles stored before, byte for byte
    assert sqlite3_cli(db, "SELECT source FROM documents ORDER BY seq DESC LIMIT 1") == "radar malang"
    assert sqlite3_cli(db, "SELECT key, name FROM outlets") == "radarmalang|radar malang"


def test_each_spelling_is_looked_up_once_by_the_tables_key(tmp_path: Path):
    """However many articles an import brings, each spelling costs one look-up, by the outlets table's
    primary key: no pass over the articles stored."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(40):
        _write(folder, f"{n:02d}.txt", (ADDRESS_PAGE if n % 2 else NAME_PAGE) + f"\nWarga kampung ke-{n} ikut membantu.\n")
    with Store(tmp_path / "t.db") as store:
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        assert import_articles(store, read_articles([str(folder)])) == (40, 0)
        store.conn.set_trace_callback(None)
        plan = store.conn.execute("EXPLAIN QUERY PLAN SELECT name FROM outlets WHERE key = ?", ("x",)).fetchall()
        assert {row[0] for row in store.conn.execute("SELECT DISTINCT source FROM documents")} == {"Radar Malang"}
    looked_up = [s for s in statements if "FROM outlets" in s]
    assert len(looked_up) == 2  # "Radar Malang", then "Radarmalang"; the 38 others from what they found
    assert "PRIMARY KEY" in plan[0][-1] and "SCAN" not in plan[0][-1]


def test_two_listed_outlets_whose_names_share_a_stem_stay_two(tmp_path: Path):
    """Kompas.com and Kompas.id are two outlets the list holds apart, though set aside their address's
    ending they read alike: neither is stored under the other's name; a listed outlet's own spellings
    ("kompas.tv", "www.kompas.com", "detik.com") are that outlet."""
    sources = ["Kompas.com", "Kompas.id", "kompas.id", "www.kompas.com", "Kompas TV", "kompas.tv", "detikcom",
               "detik.com"]
    lines = [{"text": f"Berita ke-{n} tentang banjir di Kota Batu.", "source": source} for n, source in enumerate(sources)]
    jsonl = _write(tmp_path, "x.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    db = tmp_path / "t.db"
    code, _, err = run_tandai("subprocess", ["--db", str(db), "import", jsonl])
    assert code == 0, err
    assert sqlite3_cli(db, "SELECT source FROM documents WHERE text LIKE 'Berita ke-%' ORDER BY seq").splitlines() == [
        "Kompas.com", "Kompas.id", "Kompas.id", "Kompas.com", "Kompas TV", "Kompas TV", "detikcom", "detikcom"]
