"""The line at the top of the article list: what Textual's Header shows, drawn by one widget.

Header is four widgets (itself, the icon, the title and the clock's space) with four watchers and
their styles: a tenth of the article list's first frame went on it. This draws the same line: the
icon in its eight cells (a click there opens the command palette), the title and sub-title centred
between it and the clock's ten cells.
"""
from __future__ import annotations

from textual.content import Content
from textual.events import Click
from textual.widget import Widget

ICON_CELLS = 8
CLOCK_CELLS = 10


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """
    ICON = "⭘"

    def on_mount(self) -> None:
        for node, name in ((self.app, "title"), (self.app, "sub_title"), (self.screen, "title"),
                           (self.screen, "sub_title")):
            self.watch(node, name, lambda: self.refresh(), init=False)

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.format_title(screen.title if screen.title is not None else app.title,
                                 screen.sub_title if screen.sub_title is not None else app.sub_title)
        middle = max(self.size.width - ICON_CELLS - CLOCK_CELLS, 0)
        title = title.truncate(middle, ellipsis=True)
        left = (middle - title.cell_length) // 2
        return Content.assemble(f" {self.ICON}".ljust(ICON_CELLS), " " * left, title,
                                " " * (middle - left - title.cell_length + CLOCK_CELLS))

    async def on_click(self, event: Click) -> None:
        if event.x < ICON_CELLS:
            event.stop()
            await self.run_action("app.command_palette")
