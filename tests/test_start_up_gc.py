"""``tandai`` runs no garbage collector pass before its first frame: what start-up makes lives for the
session, and the passes over it were ~4% of the first frame's work. After the frame the
collector runs again, with the start-up objects frozen out of its passes."""
from __future__ import annotations

import asyncio
import gc
import types
from pathlib import Path

from tui_fixtures import ANNOTATOR, isolated_config, tui_db, tui_template  # noqa: F401


def test_no_collector_pass_before_the_first_frame_and_passes_after_it(tui_db: Path, monkeypatch, isolated_config):
    from tui import app as app_module, launch, start
    from tui.app import TandaiApp

    passes: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    seen: dict[str, object] = {}
    started = app_module.collect_garbage_from_now

    def after_first_frame() -> None:
        summary = str(seen["app"].screen.query_one("#summary").render())
        seen.update(passes=len(passes), enabled=gc.isenabled(), summary=summary)
        started()

    def run_headless(self: TandaiApp) -> None:
        seen["app"] = self

        async def run() -> None:
            async with self.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                gc.collect(0)  # a pass of the youngest generation, as allocations set off
                seen.update(after=len(passes), enabled_after=gc.isenabled(), frozen=gc.get_freeze_count())

        asyncio.run(run())

    terminal = types.SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(launch, "sys", types.SimpleNamespace(stdin=terminal, stdout=terminal))
    monkeypatch.setattr(app_module, "collect_garbage_from_now", after_first_frame)
    monkeypatch.setattr(TandaiApp, "run", run_headless)
    gc.callbacks.append(count)
    try:
        start.main(["--db", str(tui_db), "--annotator", ANNOTATOR])
    finally:
        gc.callbacks.remove(count)
        gc.unfreeze()
        gc.enable()
    assert "showing: all" in seen["summary"]  # the list was drawn when the collector came back
    assert (seen["passes"], seen["enabled"]) == (0, False)
    assert seen["enabled_after"] and seen["after"] > 0 and seen["frozen"] > 0
