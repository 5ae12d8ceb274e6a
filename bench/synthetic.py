"""Synthetic corpora for the benchmarks: copies of the five bundled seeds, each made unique.

Each copy gets a numbered closing line, so its cleaned text (and so its
document id) differs from every other copy while its size and its furniture
stay those of a real seed page.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def raw_seeds() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def synthetic_raw(n: int, start: int = 0) -> Iterator[str]:
    """``n`` raw seed-sized pages, all different."""
    seeds = raw_seeds()
    for i in range(start, start + n):
        yield seeds[i % len(seeds)].rstrip("\n") + f"\n\nCatatan redaksi: salinan sintetis nomor {i} untuk pengujian.\n"


def write_txt_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, raw in enumerate(synthetic_raw(n)):
        (folder / f"{i:06d}.txt").write_text(raw, "utf-8")
    return folder


def write_jsonl_corpus(path: Path, n: int) -> Path:
    """One JSONL file of ``n`` already-clean articles (text, title, source, url, published)."""
    from annotations.corpus import clean_page

    with open(path, "w", encoding="utf-8") as fh:
        for i, raw in enumerate(synthetic_raw(n)):
            art = clean_page(raw)
            record = {"text": art.text, "title": art.title, "source": art.source,
                      "url": f"https://example.com/{i}", "published": art.published}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
