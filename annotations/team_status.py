"""A lead's view of the team (``tandai status`` and the status screen): how far each annotator has got,
and who has finished each article and whether its gold version is settled."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any

from .display import clipped, safe_text

COUNTED = ("done", "doing", "skipped", "flagged")


@dataclass
class AnnotatorStatus:
    name: str
    assigned: int = 0
    done: int = 0
    doing: int = 0
    skipped: int = 0
    flagged: int = 0
    seconds: float = 0.0  # time spent in articles, all statuses
    median_minutes: float | None = None  # per article done (None: none done)


@dataclass
class ArticleStatus:
    doc_id: str
    title: str
    assigned: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)  # human annotators with status done
    settled: bool = False  # gold version marked settled in review


@dataclass
class TeamStatus:
    annotators: list[AnnotatorStatus]
    articles: list[ArticleStatus]

    def to_dict(self) -> dict[str, Any]:
        return {"annotators": [{**asdict(a), "seconds": round(a.seconds, 1),
                                "median_minutes": None if a.median_minutes is None else round(a.median_minutes, 2)}
                               for a in self.annotators],
                "articles": [asdict(a) for a in self.articles]}

    def to_json(self) -> str:
        """ASCII JSON: names and titles from data reach a terminal as \\u escapes, never as control codes."""
        return json.dumps(self.to_dict(), indent=2)


def team_status(store) -> TeamStatus:
    """Figures for every human annotator and every article, from the progress and assignment tables."""
    names = store.annotators("human")
    people = {name: AnnotatorStatus(name) for name in names}
    minutes: dict[str, list[float]] = {name: [] for name in names}
    finished: dict[str, list[str]] = {}
    for doc_id, name, status, seconds in store.conn.execute(
        "SELECT doc_id, annotator, status, seconds FROM progress ORDER BY annotator"
    ):
        person = people.get(name)
        if person is None:
            continue
        person.seconds += seconds
        if status in COUNTED:
            setattr(person, status, getattr(person, status) + 1)
        if status == "done":
            minutes[name].append(seconds / 60.0)
            finished.setdefault(doc_id, []).append(name)
    assigned = store.assignments()
    for names_there in assigned.values():
        for name in names_there:
            if name in people:
                people[name].assigned += 1
    for name, values in minutes.items():
        people[name].median_minutes = median(values) if values else None
    settled = store.settled_documents()
    articles = [ArticleStatus(doc_id, title, assigned.get(doc_id, []), sorted(finished.get(doc_id, [])),
                              doc_id in settled)
                for doc_id, title in store.conn.execute("SELECT id, title FROM documents ORDER BY seq")]
    return TeamStatus(list(people.values()), articles)


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes}m"


def annotator_rows(status: TeamStatus) -> list[tuple[str, ...]]:
    """One row per annotator, as the table and the screen show them."""
    return [(safe_text(a.name), str(a.assigned), str(a.done), str(a.doing), str(a.skipped), str(a.flagged),
             _duration(a.seconds), _minutes(a.median_minutes)) for a in status.annotators]


ANNOTATOR_HEADER = ("annotator", "assigned", "done", "doing", "skipped", "flagged", "time", "min/article")
ARTICLE_HEADER = ("article", "title", "assigned", "finished by", "gold")


def article_rows(status: TeamStatus, title_width: int = 24) -> list[tuple[str, ...]]:
    rows = []
    for a in status.articles:
        title = clipped(safe_text(a.title), title_width)
        rows.append((safe_text(a.doc_id), title, safe_text(", ".join(a.assigned)) or "-",
                     safe_text(", ".join(a.finished)) or "-", "settled" if a.settled else "-"))
    return rows


def format_plain(status: TeamStatus) -> str:
    """Tab-separated lines for a pipe: a header line, then one line per annotator; a blank line, then articles."""
    lines = ["\t".join(ANNOTATOR_HEADER), *("\t".join(row) for row in annotator_rows(status)), "",
             "\t".join(ARTICLE_HEADER), *("\t".join(row) for row in article_rows(status, title_width=10_000))]
    return "\n".join(lines)
