"""The key footer, rebuilt only when the keys it shows change.

Textual's Footer makes a widget for every key it shows, and makes them all
again whenever the screen's bindings may have changed: on mount, on every
focus change, on resuming the screen. Opening an article did that four times,
most of the time the article took to appear. This one compares what it
would show with what it shows and rebuilds only on a difference.
"""
from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: tuple | None = None

    def _keys(self, screen: Screen) -> tuple:
        """What the footer would show for ``screen``: each shown binding's key, label and state."""
        app = self.app
        return tuple((binding.key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip)
                     for _, binding, enabled, tooltip in screen.active_bindings.values() if binding.show)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            return
        keys = self._keys(screen)
        if keys != self._shown:
            self._shown = keys
            self.call_after_refresh(self.recompose)
