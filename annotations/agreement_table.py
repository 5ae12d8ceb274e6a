"""The text ``tandai agreement`` prints: short by default (annotator pairs ranked, one table per
label and role, all pairs pooled: it fits an 80x24 terminal whatever the names and figures), every
pair's figures with ``by_pair``, every article's with ``by_article``."""
from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

from .agreement import AgreementReport, LayerAgreement
from .agreement_relations import ValueScore, pooled
from .display import safe_text


WIDTH, HEIGHT = 80, 24  # the screen the default summary fits
SHORTEST = 10  # the default summary cuts labels to no fewer cells than this


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _cut(text: object, width: int) -> str:
    """``text`` made safe, in at most ``width`` terminal cells (wide characters count two): cut with '…'."""
    text = safe_text(text)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells, on the left when ``right``."""
    space = " " * max(0, width - cell_len(text))
    return space + text if right else text + space


def _wrap(text: str) -> list[str]:
    """A line of the summary wrapped to the screen's width at spaces (each piece cut if one word is wider)."""
    return [_cut(line, WIDTH) for line in textwrap.wrap(safe_text(text), WIDTH, break_long_words=False)] or [""]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int], squeeze: int | None = None
           ) -> list[str]:
    """Aligned columns; ``squeeze``: the column (of names from data) cut so that rows fit the screen."""
    rows = [[safe_text(c) for c in row] for row in rows]  # names and titles from data, aligned as shown
    widths = [max(cell_len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    if squeeze is not None:
        others = sum(w for i, w in enumerate(widths) if i != squeeze) + 2 * (len(widths) - 1)
        widths[squeeze] = max(cell_len(header[squeeze]), min(widths[squeeze], WIDTH - others))
        rows = [[_cut(c, widths[squeeze]) if i == squeeze else c for i, c in enumerate(row)] for row in rows]
    lines = []
    for row in [header, *rows]:
        cells = [_pad(str(c), w, i in right) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_report(report: AgreementReport, by_pair: bool = False) -> str:
    """The plain-text tables ``tandai agreement`` prints (``by_pair``: each pair's figures too, which
    need a report counted with ``detail``)."""
    if by_pair and not report.detail:
        raise ValueError("figures by pair need agreement(..., detail=True)")
    lines = _wrap(f"articles: {report.compared} compared (status {report.status}), {report.single} with one"
                  f" annotator, {report.unannotated} with none")
    if report.annotators:
        names = report.annotators
        every = safe_text(", ".join(names))
        lines.append(f"annotators: {every}" if cell_len(every) <= WIDTH - 14 else  # a big team: a count, a few names
                     f"{len(names):,} annotators: {', '.join(_cut(n, 16) for n in names[:2])}, … {_cut(names[-1], 16)}")
    if not report.compared:
        lines += _wrap("nothing to compare: agreement needs articles that two or more annotators"
                       + (" marked done" if report.status == "done" else " annotated")
                       + (" (try --status any)" if report.status == "done" else ""))
        return "\n".join(lines)

    totals = report.totals()
    lines += _pairs(report)
    if by_pair:
        lines += _labels(totals) + _by_pair(report)
    else:
        alpha = _wrap("token agreement (Krippendorff's alpha): " + ", ".join(
            f"{name} {_fmt(layer.alpha)}" for name, layer in totals.items()))
        lines += _labels(totals, HEIGHT - len(lines) - len(alpha)) + alpha

    if report.articles:
        rows = []
        for art in report.articles:
            title = art.title if len(art.title) <= 16 else art.title[:15] + "…"  # the table fits 80 columns
            for name, layer in art.layers.items():
                total = layer.total
                rows.append((art.doc_id, title, name, _fmt(total.f1_exact), _fmt(total.f1_overlap),
                             _fmt(layer.alpha), str(layer.alpha_counts.units)))
        lines += ["", "per article (F1 over all labels and pairs; --json gives annotators and every figure)"]
        lines += _table(("article", "title", "layer", "F1 exact", "F1 overlap", "alpha", "tokens"),
                        rows, {3, 4, 5, 6})
    return "\n".join(lines)


PAIRS_SHOWN = 2  # the default summary shows this many best and worst pairs


def _pairs(report: AgreementReport) -> list[str]:
    best, worst, total = report.ranked_pairs(PAIRS_SHOWN)

    def row(s) -> tuple[str, ...]:
        return (f"{s.pair[0]}/{s.pair[1]}", _fmt(s.spans.f1_overlap), _fmt(s.links.f1_overlap),
                _fmt(s.attributes.kappa), _fmt(s.actors.agreement), str(s.articles))

    rows = [row(s) for s in best]
    if worst:
        rows.append((f"… {total - len(best) - len(worst):,} more", "", "", "", "", ""))
        rows += [row(s) for s in worst]
    heading = ("pairs, most agreement first (--by-pair: every figure of each pair; --json: all)" if not worst else
               f"{total:,} pairs, the {len(best)} best and the {len(worst)} worst (--by-pair, --json: all)")
    return ["", heading, *_table(("pair", "spans F1", "links F1", "attributes", "actors", "articles"), rows,
                                 {1, 2, 3, 4, 5}, squeeze=0)]


def _labels(totals: dict[str, LayerAgreement], room: int | None = None) -> list[str]:
    """F1 overlap of every label and link role pooled over pairs (``totals``: ``AgreementReport.totals``),
    as a grid of cells so that the whole scheme fits a screen; attributes and actor ids one line per layer;
    in at most ``room`` lines if given (labels cut, then cells left out, then layers' notes, saying so)."""
    blocks: list[tuple[str, list[tuple[str, str]]]] = []
    notes = []
    for name, layer in totals.items():
        relations = layer.relation_totals()
        cells = [(label, _fmt(layer.label_total(label).f1_overlap)) for label in layer.labels
                 if layer.label_total(label).spans]
        blocks.append((name, cells))
        blocks.append(("  links", [(role, _fmt(score.f1_overlap)) for role, score in sorted(relations["links"].items())]))
        found = [f"{what} kappa {_fmt(v.kappa)} ({v.pairs})" for what, v in sorted(relations["attributes"].items())]
        actors = pooled(relations["actors"].values(), ValueScore)
        if actors.pairs:
            found.append(f"actor ids alike {_fmt(actors.agreement)}, kappa {_fmt(actors.kappa)} ({actors.pairs})")
        if found:
            notes.append(_cut(f"{name}: " + "; ".join(found), WIDTH))
    if not any(block for _, block in blocks):
        return []
    notes_heading = ["", "on matched spans (attributes: Cohen's kappa; n: span pairs where either set one)"]
    if room is None:
        room = len(blocks) + sum(len(block) for _, block in blocks) + len(notes_heading) + len(notes) + 2
    if notes and len(notes_heading) + len(notes) > room - 3:  # the grid keeps its heading and a row
        shown = max(0, room - 3 - len(notes_heading) - 1)
        notes = notes[:shown] + [f"… {len(notes) - shown} more layers' attributes and actor ids: --by-pair"]
        if not shown:
            notes_heading = []
    lines = ["", "F1 overlap per label and link role, all pairs pooled"]
    lines += _grid(blocks, room - len(lines) - len(notes_heading) - len(notes))
    if notes:
        lines += notes_heading + notes
    return lines


def _grid(blocks: list[tuple[str, list[tuple[str, str]]]], room: int) -> list[str]:
    """Cells "label value" under each block's title, as many to a line as fit the screen; labels cut
    (down to ``SHORTEST`` cells: shorter, they would look alike) when the grid would be over ``room`` lines,
    then the cells beyond it left out."""
    titles = [_cut(title, 12) for title, _ in blocks]
    indent = max(cell_len(title) for title in titles) + 2
    value = max(cell_len(v) for _, block in blocks for _, v in block)
    labels = [[safe_text(label) for label, _ in block] for _, block in blocks]
    widest = max(cell_len(label) for block in labels for label in block)
    for width in range(max(1, min(widest, WIDTH - indent - value - 1)), 0, -1):
        cell = width + 1 + value + 2
        per_line = max(1, (WIDTH - indent + 2) // cell)  # the last cell's two spaces are not printed
        if sum(-(-len(block) // per_line) for block in labels) <= room or width <= SHORTEST:
            break
    lines: list[tuple[str, int]] = []  # each line and how many cells it has
    for title, (_, block), names in zip(titles, blocks, labels):
        for i in range(0, len(block), per_line):
            row = "".join(f"{_pad(_cut(label, width), width)} {_pad(v, value, right=True)}  "
                          for label, (_, v) in zip(names[i:i + per_line], block[i:i + per_line]))
            lines.append((f"{_pad(title if i == 0 else '', indent)}{row}".rstrip(), len(block[i:i + per_line])))
    if len(lines) > room:
        kept = lines[:max(0, room - 1)]
        hidden = sum(n for _, n in lines) - sum(n for _, n in kept)
        lines = kept + [(f"… {hidden} more labels and roles: --by-pair", 0)]
    return [line for line, _ in lines]


def _by_pair(report: AgreementReport) -> list[str]:
    rows = []
    for name, layer in report.layers.items():
        for label in layer.labels:
            for (a, b), pair in sorted(layer.pairs.items()):
                score = pair.labels.get(label)
                if score is None or not score.spans:
                    continue
                rows.append((name, label, f"{a}/{b}", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
            if len(layer.pairs) > 1:
                score = layer.label_total(label)
                rows.append((name, label, "all pairs", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
        for (a, b), pair in sorted(layer.pairs.items()):
            score = pair.total
            rows.append((name, "all labels", f"{a}/{b}", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
        if len(layer.pairs) > 1:
            score = layer.total
            rows.append((name, "all labels", "all pairs", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
    lines = ["", "span F1 per label and annotator pair (spans: both annotators' spans behind the figure)"]
    lines += _table(("layer", "label", "pair", "F1 exact", "F1 overlap", "spans"), rows, {3, 4, 5})

    rows = []
    for name, layer in report.layers.items():
        for (a, b), pair in sorted(layer.pairs.items()):
            rows.append((name, "kappa", f"{a}/{b}", _fmt(pair.kappa), str(pair.tokens), str(pair.articles)))
        rows.append((name, "alpha", "all annotators", _fmt(layer.alpha), str(layer.alpha_counts.units),
                     str(layer.articles)))
    lines += ["", "token agreement per layer (Cohen's kappa per pair, Krippendorff's alpha across annotators)"]
    lines += _table(("layer", "measure", "annotators", "value", "tokens", "articles"), rows, {3, 4, 5})
    rows = []
    for name, layer in report.layers.items():
        for (a, b), pair in sorted(layer.pairs.items()):
            for role, score in sorted(pair.relations.links.items()):
                rows.append((name, f"link {role}", f"{a}/{b}", _fmt(score.f1_exact), _fmt(score.f1_overlap),
                             str(score.spans)))
            for kind, scores in (("attribute", pair.relations.attributes), ("actor", pair.relations.actors)):
                for what, value in sorted(scores.items()):
                    rows.append((name, f"{kind} {what}", f"{a}/{b}", f"same {_fmt(value.agreement)}",
                                 f"kappa {_fmt(value.kappa)}", str(value.pairs)))
    if rows:
        lines += ["", "links (F1 exact, overlap; n links), attributes and actor ids (n span pairs) per pair"]
        lines += _table(("layer", "of", "pair", "", "", "n"), rows, {3, 4, 5})
    return lines
