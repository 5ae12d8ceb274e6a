"""Import: cleaning of the seeds, metadata, bad input (CLI and real subprocess), hostile text, big and piped input."""
from __future__ import annotations

import bisect
import io
import json
import re
import sqlite3
import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.corpus import (
    bundled_seeds,
    document_id,
    import_articles,
    jsonl_article,
    parse_txt,
    read_articles,
)
from annotations.errors import InputError
from annotations.store import Store
from conftest import SEED_NAMES, SEEDS_DIR, check_tokens, db_state, seed_file
from conftest import run_tandai as run

# -- cleaning of each seed -------------------------------------------------------------------------

_WS = re.compile(r"[\s\u00a0]+")
_INLINE_BACA = re.compile(r"\s?\((?i:baca juga)\s*:[^)]*\)")

# Lines of eight words or more that are page furniture, not article prose; read off the seeds by hand.
FURNITURE_LINES = {
    "000": ["oleh Natasha Khairunisa Amani diperbarui 26 Okt 2020, 14:32 WIB"],
    "001": ["Dapatkan berita terbaru, follow WhatsApp Channel SINDOnews sekarang juga!"],
    "002": [
        "Baca Juga: Andaikan Indonesia Tidak Pernah Merdeka dan Belanda Berhasil Menguasai Indonesia, "
        "Belanda Mungkin Menjadi Negara Terkuat di Eropa Tapi Justru Begini Nasibnya Kini",
        "© 2025 TRIBUNnews.com Network,a subsidiary of KG Media.",
    ],
    "003": [
        "Baca Juga : Hyundai Percaya Indonesia Lompati Hybrid, Pilih Mobil Listrik",
        "Baca Juga : Menristek: Vaksin Covid-19 Tak Bertahan Seumur Hidup",
        "Beri penilaian untuk artikel Armenia dan Azerbaijan Akan Bertemu Terpisah dengan Menlu AS",
    ],
    "004": [],
}
# What issue 2 names as furniture; each must be gone from every cleaned seed.
FURNITURE = ["Baca Juga", "Saksikan Video Berikut Ini", "Lanjutkan Membaca", "Loading", "data.label",
             "Sangat Suka", "0%", "Komentar", "Berita Terkini", "Rekomendasi untuk Anda", "©",
             "Halaman 2/3", "(evn)", "(ber)"]
TITLES = {
    "000": "Konflik Nagorno-Karabakh, Armenia dan Azerbaijan Kembali Sepakati Gencatan Senjata",
    "001": "Akhiri Perang Nagorno Karabakh, Armenia-Azerbaijan Siap Berunding di Moskow",
    "002": "Rusia Turun Tangan, Perang Armenia Azerbaijan Makin Buruk hingga Ancam Keamanan Perbatasan",
    "003": "Armenia dan Azerbaijan Akan Bertemu Terpisah dengan Menlu AS",
    # no headline on this page: the first sentence stands in
    "004": "Armenia dan Azerbaijan menyetujui gencatan senjata di Nagorno-Karabakh pada hari Sabtu (10/10), "
           "sekitar pukul 12 waktu setempat.",
}
PUBLISHED = {"000": "2020-10-26", "001": "2020-10-09", "002": None, "003": None, "004": None}
OUTLETS = {"000": "Liputan6.com", "001": "SINDOnews", "002": "TRIBUNnews", "003": "LancangKuning", "004": None}


def norm(line: str) -> str:
    return _WS.sub(" ", line).strip()


def raw_text(prefix: str) -> str:
    return seed_file(prefix).read_text("utf-8")


def prose_lines(prefix: str) -> list[str]:
    furniture = set(FURNITURE_LINES[prefix])
    lines = [norm(line) for line in raw_text(prefix).splitlines()]
    lines = [line for line in lines if len(line.split()) >= 8 and line not in furniture]
    return [norm(_INLINE_BACA.sub("", line)) for line in lines]


@pytest.fixture(scope="module")
def cleaned():
    return {prefix: parse_txt(raw_text(prefix), str(seed_file(prefix))) for prefix in SEED_NAMES}


def test_furniture_lists_name_real_lines():
    """The hand-made lists must keep matching the seeds, or the prose test below proves less."""
    for prefix, lines in FURNITURE_LINES.items():
        raw_lines = {norm(line) for line in raw_text(prefix).splitlines()}
        for line in lines:
            assert line in raw_lines, (prefix, line)
    for item in FURNITURE:
        assert any(item.lower() in raw_text(p).lower() for p in SEED_NAMES), item


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_every_prose_line_survives(prefix, cleaned):
    kept = {norm(line) for line in cleaned[prefix].text.split("\n")}
    prose = prose_lines(prefix)
    assert len(prose) >= 2
    missing = [line for line in prose if line not in kept]
    assert missing == []


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_furniture_is_gone(prefix, cleaned):
    text = cleaned[prefix].text
    for item in FURNITURE:
        assert item.lower() not in text.lower(), item
    for line in FURNITURE_LINES[prefix]:
        assert line not in text
    # no line left that is only editor initials, a percentage or a photo credit
    for line in text.split("\n"):
        assert not re.fullmatch(r"\([a-z]{2,4}\)|\d+%|AP/.*", line.strip()), line


def test_inline_baca_juga_removed_but_sentence_kept(cleaned):
    text = cleaned["001"].text
    assert "didukung oleh Armenia.\n" in text
    assert "bergabung dalam konflik dari luar negeri.\n" in text
    assert "Putin Serukan Diakhirinya" not in text


def test_duplicated_caption_appears_once(cleaned):
    caption = "Setidaknya 16 tentara telah tewas dalam lima hari terakhir"
    assert raw_text("000").count(caption) == 2
    assert cleaned["000"].text.count(caption) == 1


def test_cleaned_text_is_tidy(cleaned):
    for prefix, article in cleaned.items():
        assert article.text == article.text.strip()
        assert "\n\n\n" not in article.text
        assert "\u00a0" not in article.text
        assert article.raw == raw_text(prefix)


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_metadata(prefix, cleaned):
    article = cleaned[prefix]
    assert article.title == TITLES[prefix]
    assert article.published == PUBLISHED[prefix]
    assert article.source == OUTLETS[prefix]


def test_metadata_is_stored(store, seed_ids):
    for prefix, doc_id in seed_ids.items():
        doc = store.get_document(doc_id)
        assert (doc.title, doc.published, doc.source) == (TITLES[prefix], PUBLISHED[prefix], OUTLETS[prefix])
    raw = store.conn.execute("SELECT raw FROM documents WHERE id = ?", (seed_ids["002"],)).fetchone()[0]
    assert raw == raw_text("002")
    assert store.get_document(seed_ids["000"]).meta["published_at"] == "2020-10-26T14:32+07:00"
    assert store.get_document(seed_ids["002"]).meta["editor"] == "Hasyim Ashari"


def test_bundled_seeds_match_the_files():
    articles = bundled_seeds()
    assert [a.title for a in articles] == [TITLES[p] for p in SEED_NAMES]


def test_import_seeds_loads_the_actor_registry(db_path):
    from annotations.corpus import import_seeds

    with Store(db_path) as st:
        assert import_seeds(st)[0] == 5
        ids = {a.id for a in st.actors()}
    assert {"ARM_GOV", "AZE_GOV", "RUS_GOV", "OSCE_MG"} <= ids


# -- bad input -------------------------------------------------------------------------------------

GOOD = "Artikel yang baik tentang perundingan di Moskow.\nIsinya cukup panjang untuk disimpan.\n"


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * 16 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_bad(kind: str, folder: Path) -> tuple[str, list[str]]:
    """(the bad path, words its one-line message must contain)."""
    if kind == "utf8":
        path = folder / "latin.txt"
        path.write_bytes("Berita dari Yerevan.\nKota Stepanakert ".encode() + b"dibom \xe9 lagi.\n")
        return str(path), ["latin.txt", "byte 44", "line 2", "--encoding"]
    if kind == "binary":
        path = folder / "image.txt"
        path.write_bytes(png_bytes())
        return str(path), ["image.txt", "binary"]
    if kind == "empty":
        path = folder / "empty.txt"
        path.write_bytes(b"")
        return str(path), ["empty.txt", "empty"]
    if kind == "not-json":
        path = folder / "bad.jsonl"
        path.write_text('{"text": "baris pertama baik"}\n{"text": "rusak"\n', "utf-8")
        return str(path), ["bad.jsonl:2", "JSON"]
    if kind == "no-text":
        path = folder / "notext.jsonl"
        path.write_text('{"title": "judul saja"}\n', "utf-8")
        return str(path), ["notext.jsonl:1", "text"]
    if kind == "furniture":
        path = folder / "widgets.txt"
        path.write_text("Loading\nKomentar\nBaca Juga: Berita lain\n", "utf-8")
        return str(path), ["widgets.txt", "no article text left"]
    if kind == "missing":
        return str(folder / "nowhere.txt"), ["nowhere.txt", "no such file"]
    if kind == "empty-dir":
        path = folder / "nothing"
        path.mkdir()
        (path / "data.csv").write_text("a,b\n1,2\n")
        return str(path), ["nothing", ".txt"]
    raise AssertionError(kind)


BAD_KINDS = ["utf8", "binary", "empty", "furniture", "not-json", "no-text", "missing", "empty-dir"]


@pytest.mark.parametrize("mode", ["runner", "subprocess"])
@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_is_one_line_and_stores_nothing(kind, mode, seeded_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, "utf-8")
    bad, words = make_bad(kind, tmp_path)
    before = db_state(seeded_path)
    code, out, err = run(mode, ["--db", str(seeded_path), "import", str(good), bad])
    assert code != 0
    assert "Traceback" not in err + out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert db_state(seeded_path) == before
    conn = sqlite3.connect(str(seeded_path))
    assert conn.execute("SELECT count(*) FROM documents WHERE text LIKE 'Artikel yang baik%'").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_does_not_create_a_database(kind, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, "utf-8")
    bad, words = make_bad(kind, tmp_path)
    code, _, err = run("runner", ["--db", str(tmp_path / "new.db"), "import", str(good), bad])
    assert code != 0 and words[-1] in err
    assert not list(tmp_path.glob("new.db*"))


def test_bad_page_among_thousands_stores_nothing(tmp_path):
    """A large import cleans pages on every core; a bad page found by a worker still refuses it all."""
    from annotations.corpus import _PARALLEL_FROM

    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(_PARALLEL_FROM + 100):
        (folder / f"{i:05d}.txt").write_text(f"Berita nomor {i} tentang perundingan di Moskow.\n", "utf-8")
    (folder / "01234.txt").write_bytes(b"Berita dari Yerevan \xe9 rusak.\n")
    code, out, err = run("subprocess", ["--db", str(tmp_path / "new.db"), "import", str(folder)])
    assert code == 1
    assert err.strip().splitlines() == [err.strip()] and "01234.txt" in err and "byte 20" in err
    assert not list(tmp_path.glob("new.db*"))
    (folder / "01234.txt").write_text("Berita yang sudah diperbaiki.\n", "utf-8")
    code, out, err = run("subprocess", ["--db", str(tmp_path / "new.db"), "import", str(folder)])
    assert code == 0, err
    assert out.startswith(f"{_PARALLEL_FROM + 100} article(s) added")


def test_encoding_option_reads_latin1(seeded_path, tmp_path):
    bad, _ = make_bad("utf8", tmp_path)
    code, out, err = run("runner", ["--db", str(seeded_path), "import", "--encoding", "latin-1", bad])
    assert code == 0, err
    assert "1 article(s) added" in out
    with Store(seeded_path) as st:
        (doc,) = st.list_documents("x", query="dibom")
        assert "dibom é lagi." in st.get_document(doc.id).text


def test_unknown_encoding_is_one_line(seeded_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, "utf-8")
    code, _, err = run("runner", ["--db", str(seeded_path), "import", "--encoding", "klingon", str(good)])
    assert code != 0 and len(err.strip().splitlines()) == 1 and "klingon" in err


def test_jsonl_bad_field_types(tmp_path):
    for line, word in [('{"text": "isi", "title": 5}', "title"), ('{"text": "isi", "meta": [1]}', "meta"),
                       ("[1, 2]", "object"), ('{"text": "   "}', "text")]:
        with pytest.raises(InputError) as err:
            jsonl_article(line, "f.jsonl", 1)
        assert "f.jsonl:1" in str(err.value) and word in str(err.value)


# -- hostile text imports with offsets right --------------------------------------------------------

HOSTILE = [
    "[bold]x[/]", "[link=http://x]y", "[/]", "[bold red]", "\x1b[2J", "\x1b[31m", "\x00", "\x07", "\x7f",
    "\r\n", "\n", "\ufeff", "😀", "👨‍👩‍👧‍👦", "🇮🇩", "👍🏽", "e\u0301", "\u0301", "\u200b", "\u200d", "\u2060",
    "\u2028", "\x85", "Armenia", " ", "berminggu-minggu", "5.000", "北京",
]
hostile = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=3)), min_size=1, max_size=30).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(body=hostile, ascii_only=st.booleans())
def test_hostile_jsonl_round_trips(body, ascii_only, tmp_path_factory):
    body = "Kabar " + body  # never blank
    folder = tmp_path_factory.mktemp("h")
    path = folder / "in.jsonl"
    path.write_text(json.dumps({"text": body, "title": "t"}, ensure_ascii=ascii_only) + "\n", "utf-8")
    with Store(folder / "h.db") as st:
        assert import_articles(st, read_articles([str(path)])) == (1, 0)
        doc = st.get_document(document_id(body))
    assert doc.text == body
    check_tokens(doc.text, doc.tokens)


def test_hostile_page_imports_through_the_cli(tmp_path):
    page = ("\ufeffJudul [bold]Berita[/] Hari Ini\r\n\r\n"
            "Teks [link=http://x]tautan[/link] dan \x1b[2J layar, NUL\x00 dan bel\x07.\r\n"
            "Emoji 👨‍👩‍👧‍👦 🇮🇩 👍🏽, aksen e\u0301 dan nol\u200blebar.\r\n")
    path = tmp_path / "page.txt"
    path.write_bytes(page.encode("utf-8"))
    db = tmp_path / "t.db"
    code, out, err = run("subprocess", ["--db", str(db), "import", str(path)])
    assert code == 0, err
    conn = sqlite3.connect(str(db))
    text, title, tokens = conn.execute("SELECT text, title, tokens FROM documents").fetchone()
    conn.close()
    assert title == "Judul [bold]Berita[/] Hari Ini"
    assert "\ufeff" not in text and "\r" not in text
    for piece in ["[link=http://x]tautan[/link]", "\x1b[2J", "\x00", "\x07", "👨‍👩‍👧‍👦", "e\u0301", "nol\u200blebar"]:
        assert piece in text, piece
    tokens = [tuple(t) for t in json.loads(tokens)]
    check_tokens(text, tokens)
    words = {text[s:e] for s, e in tokens}
    assert {"👨‍👩‍👧‍👦", "🇮🇩", "👍🏽", "e\u0301"} <= words


@settings(max_examples=40, deadline=None)
@given(hostile)
def test_hostile_txt_without_cleaning_round_trips(body):
    text = "Kabar " + body.lstrip("\ufeff")
    article = parse_txt(text, "x.txt", clean=False)
    assert article.text == text


def test_twenty_megabyte_article(tmp_path):
    paragraphs = [line for p in SEED_NAMES for line in parse_txt(raw_text(p), "s").text.split("\n") if line]
    parts, size, i = [], 0, 0
    while size < 20_000_000:
        para = f"Paragraf {i}. {paragraphs[i % len(paragraphs)]}"
        parts.append(para)
        size += len(para.encode()) + 2
        i += 1
    title = "Judul Artikel Raksasa tentang Perang di Karabakh"
    big = title + "\n\n" + "\n\n".join(parts) + "\n"
    path = tmp_path / "big.txt"
    path.write_text(big, "utf-8")
    assert path.stat().st_size >= 20_000_000
    started = time.perf_counter()
    with Store(tmp_path / "big.db") as st:
        assert import_articles(st, read_articles([str(path)])) == (1, 0)
    elapsed = time.perf_counter() - started
    conn = sqlite3.connect(str(tmp_path / "big.db"))
    stored_title, text, tokens = conn.execute("SELECT title, text, tokens FROM documents").fetchone()
    conn.close()
    assert stored_title == title
    assert text == big.strip()
    tokens = json.loads(tokens)
    assert tokens[-1][1] == len(text)
    # tokens are right at the start, in the middle and at the end of the text
    starts = [s for s, _ in tokens]
    for lo in (0, len(text) // 2, len(text) - 5000):
        first = bisect.bisect_left(starts, lo)
        last = bisect.bisect_right(starts, lo + 5000) - 1
        window = tokens[first:last]
        a, b = window[0][0], window[-1][1]
        check_tokens(text[a:b], [(s - a, e - a) for s, e in window])
    assert elapsed < 60, elapsed


# -- stdin, directories, JSONL fields ---------------------------------------------------------------


@pytest.mark.parametrize("mode", ["runner", "subprocess"])
def test_stdin_jsonl(mode, tmp_path):
    lines = [{"text": "Pertama dari stdin.", "title": "Satu"}, {"text": "Kedua dari stdin.", "url": "http://k"}]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    db = tmp_path / "s.db"
    code, out, err = run(mode, ["--db", str(db), "import", "-"], stdin=data)
    assert code == 0, err
    assert "2 article(s) added" in out
    conn = sqlite3.connect(str(db))
    rows = conn.execute("SELECT title, text, url, meta FROM documents ORDER BY seq").fetchall()
    conn.close()
    assert [(r[0], r[1], r[2]) for r in rows] == [("Satu", "Pertama dari stdin.", None),
                                                  ("Kedua dari stdin.", "Kedua dari stdin.", "http://k")]
    assert json.loads(rows[0][3])["path"] == "<stdin>:1"


@pytest.mark.parametrize("mode", ["runner", "subprocess"])
def test_stdin_plain_text_is_cleaned(mode, tmp_path):
    db = tmp_path / "s.db"
    code, out, err = run(mode, ["--db", str(db), "import", "-"], stdin=raw_text("003").encode())
    assert code == 0, err
    conn = sqlite3.connect(str(db))
    title, source, text = conn.execute("SELECT title, source, text FROM documents").fetchone()
    conn.close()
    assert (title, source) == (TITLES["003"], "LancangKuning")
    assert "data.label" not in text


def test_stdin_bad_json_names_stdin(tmp_path):
    code, _, err = run("runner", ["--db", str(tmp_path / "s.db"), "import", "-"], stdin=b'{"text": "a"}\n{oops\n')
    assert code != 0 and "<stdin>:2" in err and len(err.strip().splitlines()) == 1


def test_directories_are_read_recursively(tmp_path):
    root = tmp_path / "corpus"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "deep.txt").write_text("Artikel terdalam tentang Karabakh.\n", "utf-8")
    (root / "a" / "one.TXT").write_text("Artikel dengan akhiran besar.\n", "utf-8")
    (root / "lines.jsonl").write_text('{"text": "Dari JSONL satu."}\n\n{"text": "Dari JSONL dua."}\n', "utf-8")
    (root / "a" / "skip.csv").write_text("a,b\n", "utf-8")
    (root / "a" / "notes.md").write_text("# bukan artikel\n", "utf-8")
    db = tmp_path / "d.db"
    code, out, err = run("runner", ["--db", str(db), "import", str(root)])
    assert code == 0, err
    conn = sqlite3.connect(str(db))
    texts = {r[0] for r in conn.execute("SELECT text FROM documents")}
    conn.close()
    assert texts == {"Artikel terdalam tentang Karabakh.", "Artikel dengan akhiran besar.",
                     "Dari JSONL satu.", "Dari JSONL dua."}


def test_seed_directory_via_cli_twice(tmp_path):
    db = tmp_path / "seeds.db"
    code, out, err = run("subprocess", ["--db", str(db), "import", str(SEEDS_DIR)])
    assert code == 0, err and "5 article(s) added" in out
    code, out, err = run("subprocess", ["--db", str(db), "import", str(SEEDS_DIR), str(seed_file("000"))])
    assert code == 0, err
    assert "0 article(s) added, 6 already there" in out
    conn = sqlite3.connect(str(db))
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    conn.close()


def test_jsonl_optional_fields_are_stored(tmp_path):
    record = {"text": "Isi berita tentang Baku.", "title": "Judul Sendiri", "source": "Kompas.com",
              "url": "https://example.com/a", "published": "2020-10-11", "meta": {"kategori": "dunia", "n": 3},
              "penulis": "Ani"}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", "utf-8")
    db = tmp_path / "j.db"
    code, _, err = run("runner", ["--db", str(db), "import", str(path)])
    assert code == 0, err
    conn = sqlite3.connect(str(db))
    row = conn.execute("SELECT title, source, url, published, meta, text, raw FROM documents").fetchone()
    conn.close()
    assert row[:4] == ("Judul Sendiri", "Kompas.com", "https://example.com/a", "2020-10-11")
    meta = json.loads(row[4])
    assert meta["kategori"] == "dunia" and meta["n"] == 3 and meta["penulis"] == "Ani"
    assert meta["path"] == f"{path}:1"
    assert row[5] == record["text"]


def test_same_text_in_one_batch_is_stored_once(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"text": "Sama."}\n{"text": "Sama."}\n', "utf-8")
    with Store(tmp_path / "d.db") as st:
        assert import_articles(st, read_articles([str(path)])) == (1, 1)
        assert st.count_documents() == 1


def test_read_articles_from_a_stream():
    arts = read_articles(["-"], stdin=io.BytesIO(b'{"text": "Satu."}\n'))
    assert [a.text for a in arts] == ["Satu."]


@pytest.mark.parametrize("page, text", [
    ("Didukung Armenia (Baca juga: Putin Serukan Damai). Lalu kota dibom.", "Didukung Armenia. Lalu kota dibom."),
    ("Didukung Armenia.(Baca juga: Putin Serukan Damai) Lalu kota dibom.", "Didukung Armenia. Lalu kota dibom."),
    ("Satu.\t(BACA JUGA: Dua) (Baca juga : Tiga) Empat.", "Satu. Empat."),
    # the space before a link goes, never the line break
    ("Satu.\n(Baca juga: Dua) Tiga.", "Satu.\nTiga."),
    # a link without its closing bracket is left alone: the rule never reaches into the next line
    ("Teks (Baca juga: tanpa tutup\nbaris berikut (ada) di sini.", "Teks (Baca juga: tanpa tutup\nbaris berikut (ada) di sini."),
])
def test_inline_link_goes_with_its_space_and_stays_on_its_line(page, text):
    from annotations.corpus import clean_page

    assert clean_page(page).text == text
