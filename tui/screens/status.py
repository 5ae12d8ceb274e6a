"""The team's progress (the status screen, from the article list): the figures ``tandai status`` prints."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from annotations.team_status import ANNOTATOR_HEADER, ARTICLE_HEADER, annotator_rows, article_rows, team_status

from ..keymap import STATUS
from ..widgets.footer import KeyFooter
from ..widgets.title_bar import TitleBar


class StatusScreen(Screen):
    """Per annotator: assigned, done, doing, skipped, flagged, time, median minutes; per article: who
    has it, who finished it, whether gold is settled. Cells are ``safe_text`` already."""

    BINDINGS = STATUS

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="team-title")
        yield DataTable(id="team", cursor_type="row", zebra_stripes=True)
        yield Static(id="articles-title")
        yield DataTable(id="team-articles", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.app.sub_title = "team status"
        status = team_status(self.app.store)
        team = self.query_one("#team", DataTable)
        team.add_columns(*ANNOTATOR_HEADER)
        for row in annotator_rows(status):
            team.add_row(*(Text(cell) for cell in row), key=row[0])
        articles = self.query_one("#team-articles", DataTable)
        articles.add_columns(*ARTICLE_HEADER)
        for row, article in zip(article_rows(status, title_width=max(self.app.size.width - 58, 12)), status.articles):
            articles.add_row(*(Text(cell) for cell in row), key=article.doc_id)
        settled = sum(1 for a in status.articles if a.settled)
        self.query_one("#team-title", Static).update(Text(f"{len(status.annotators)} annotators"))
        self.query_one("#articles-title", Static).update(
            Text(f"{len(status.articles)} articles, gold settled in {settled}"))
        team.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
