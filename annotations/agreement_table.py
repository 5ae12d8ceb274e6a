"""The text ``tandai agreement`` prints: short by default (annotator pairs ranked, one table per
label and role, all pairs pooled), every pair's figures with ``by_pair``, every article's with ``by_article``."""
from __future__ import annotations

from collections.abc import Sequence

from .agreement import AgreementReport, LayerAgreement
from .agreement_relations import ValueScore, pooled
from .display import safe_text


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    rows = [[safe_text(c) for c in row] for row in rows]  # names and titles from data, aligned as shown
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_report(report: AgreementReport, by_pair: bool = False) -> str:
    """The plain-text tables ``tandai agreement`` prints (``by_pair``: each pair's figures too)."""
    lines = [
        f"articles: {report.compared} compared (2 or more annotators, status {report.status}),"
        f" {report.single} left out with one annotator, {report.unannotated} with none",
    ]
    if report.annotators:
        names = report.annotators
        every = ", ".join(names)
        lines.append(f"annotators: {every}" if len(every) <= 66 else  # a big team: a count and a few names
                     f"{len(names):,} annotators: {', '.join(names[:2])}, … {names[-1]}")
    if not report.compared:
        lines.append("nothing to compare: agreement needs articles that two or more annotators"
                     + (" marked done" if report.status == "done" else " annotated")
                     + (" (try --status any)" if report.status == "done" else ""))
        return "\n".join(lines)

    totals = report.totals()
    lines += _pairs(report)
    lines += _labels(totals)
    if by_pair:
        lines += _by_pair(report)
    else:
        lines += ["token agreement (Krippendorff's alpha): " + ", ".join(
            f"{name} {_fmt(layer.alpha)}" for name, layer in totals.items())]

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
    return ["", heading,
            *_table(("pair", "spans F1", "links F1", "attributes", "actors", "articles"), rows, {1, 2, 3, 4, 5})]


def _labels(totals: dict[str, LayerAgreement], width: int = 80) -> list[str]:
    """F1 overlap of every label and link role pooled over pairs (``totals``: ``AgreementReport.totals``),
    as a grid of cells so that the whole scheme fits a screen; attributes and actor ids one line per layer."""
    blocks: list[tuple[str, list[tuple[str, str]]]] = []
    notes = []
    for name, layer in totals.items():
        totals = layer.relation_totals()
        cells = [(label, _fmt(layer.label_total(label).f1_overlap)) for label in layer.labels
                 if layer.label_total(label).spans]
        blocks.append((name, cells))
        blocks.append(("  links", [(role, _fmt(score.f1_overlap)) for role, score in sorted(totals["links"].items())]))
        found = [f"{what} kappa {_fmt(v.kappa)} ({v.pairs})" for what, v in sorted(totals["attributes"].items())]
        actors = pooled(totals["actors"].values(), ValueScore)
        if actors.pairs:
            found.append(f"actor ids alike {_fmt(actors.agreement)}, kappa {_fmt(actors.kappa)} ({actors.pairs})")
        if found:
            notes.append(f"{name}: " + "; ".join(found))
    cells = [cell for _, block in blocks for cell in block]
    if not cells:
        return []
    cell = max(len(safe_text(label)) for label, _ in cells) + 7
    indent = max(len(title) for title, _ in blocks) + 2
    per_line = max(1, (width - indent) // cell)
    lines = ["", "F1 overlap per label and link role, all pairs pooled"]
    for title, block in blocks:
        for i in range(0, len(block), per_line):
            row = "".join(f"{safe_text(label):<{cell - 7}} {value:>5}  " for label, value in block[i:i + per_line])
            lines.append(f"{title if i == 0 else '':<{indent}}{row}".rstrip())
    if notes:
        lines += ["", "on matched spans (attributes: Cohen's kappa; n: span pairs where either set one)", *notes]
    return lines


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
