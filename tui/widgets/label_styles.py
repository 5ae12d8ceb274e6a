"""How a label looks in the article: colours that stay readable, and cues that need no colour.

Every piece of text is drawn with an explicit text and background colour whose
contrast is at least 4.5:1 (WCAG 2, relative luminance), checked both as
truecolor and as the nearest of the 256 colours a terminal without truecolor
shows. Nested spans do not mix a claim's text colour into an entity's background
blindly: the text colour is chosen last, against the background actually drawn.

Three kinds of terminal get three looks:
- full colour (truecolor or 256): each label's own hue (Okabe-Ito) as a tint
  behind entities and events, as the text colour of claims and suggestions;
- 16 colours (``TERM=xterm``): within a layer each label its own ANSI colour,
  exactly one of the 16, so no two labels of a layer look alike;
- ``NO_COLOR``: no label colour at all; the layer's attribute (entity
  underlined, event bold, claim italic) and the ``[LABEL]`` tag tell them apart.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rich._palettes import STANDARD_PALETTE  # the 16 colours Rich matches truecolor to on a 16-colour terminal
from rich.color import ColorSystem
from rich.style import Style
from textual.color import Color

# Okabe-Ito: eight colours told apart with every common colour-vision deficiency.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999", "#8FBC8F")
# The same order in the 16 ANSI colours (yellow, bright cyan, green, bright yellow, blue, red, magenta,
# white, bright green): nine different colours, so the nine labels a layer may have never share one.
ANSI_ORDER = (3, 14, 2, 11, 4, 1, 5, 7, 10)
AA = 4.5  # WCAG 2 AA for body text
BLACK, WHITE = Color(0, 0, 0), Color(255, 255, 255)
TINT = 0.45  # how much of the page shows through a span's background tint

# (layer, label, kind, agreed) of each mark over a character, outermost first
MarkKey = tuple[str, str, str, "bool | None"]


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=4096)
def in_256(colour: Color) -> Color:
    """The colour a 256-colour terminal shows for ``colour`` (Rich's nearest match)."""
    triplet = colour.rich_color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return Color(triplet.red, triplet.green, triplet.blue)


def shown_contrast(fg: Color, bg: Color) -> float:
    """The lower contrast of the pair as truecolor and as 256 colours."""
    return min(contrast(fg, bg), contrast(in_256(fg), in_256(bg)))


@lru_cache(maxsize=4096)
def readable(fg: Color, bg: Color) -> Color:
    """``fg``, moved towards white or black (whichever ``bg`` needs) until it reads at 4.5:1 on ``bg``."""
    if shown_contrast(fg, bg) >= AA:
        return fg
    target = WHITE if shown_contrast(WHITE, bg) >= shown_contrast(BLACK, bg) else BLACK
    for step in range(1, 21):
        moved = fg.blend(target, step / 20)
        if shown_contrast(moved, bg) >= AA:
            return moved
    return target


def tint(hue: Color, page: Color) -> Color:
    """A background for a span: the hue over the page, kept where black or white text reads on it."""
    amount = 1 - TINT
    while amount > 0:
        colour = page.blend(hue, amount)
        if max(shown_contrast(WHITE, colour), shown_contrast(BLACK, colour)) >= AA + 0.5:
            return colour
        amount -= 0.05
    return page


def _ansi(number: int) -> Color:
    return Color(*STANDARD_PALETTE[number])


class LabelStyles:
    """Styles for one theme and one kind of terminal; the document view asks, and caches the answers."""

    def __init__(self, variables: dict[str, str], label_index: dict[str, int], *, colour_system: str | None,
                 no_color: bool):
        self.page = Color.parse(variables.get("surface", "#1e1e1e"))
        self.text = readable(Color.parse(variables.get("foreground", "#e0e0e0")), self.page)
        self.error = Color.parse(variables.get("error", "#ff0000"))
        self.label_index = label_index
        self.look = "none" if no_color else "16" if colour_system in ("standard", "windows") else "full"

    @classmethod
    def for_app(cls, app, label_index: dict[str, int]) -> "LabelStyles":
        """The looks for the app's current theme, terminal colours and ``NO_COLOR``."""
        return cls(app.theme_variables, label_index, colour_system=app.console.color_system, no_color=app.no_color)

    def hue(self, label: str) -> Color:
        n = self.label_index.get(label, 7)
        if self.look == "16":
            return _ansi(ANSI_ORDER[n % len(ANSI_ORDER)])
        return Color.parse(PALETTE[n % len(PALETTE)])

    def _background(self, label: str) -> Color:
        if self.look == "16":
            return self.hue(label)
        return tint(self.hue(label), self.page)

    def _text_on(self, bg: Color, hue: Color | None) -> Color:
        """Text colour on ``bg``: the claim's or suggestion's hue if readable there, else near it."""
        if self.look == "16":  # one of the 16 exactly: the hue itself on the page, else black or white
            if hue is not None and bg == self.page:
                return hue
            return WHITE if contrast(WHITE, bg) >= contrast(BLACK, bg) else _ansi(0)
        return readable(hue if hue is not None else self.text, bg)

    def span(self, marks: Iterable[MarkKey]) -> Style:
        """The style of text under ``marks``; the innermost background wins, the text colour comes last."""
        bg, hue = self.page, None
        bold = italic = underline = overline = False
        for layer, label, kind, agreed in marks:
            if kind == "suggestion":
                underline = True
                hue = None if self.look == "none" else self.hue(label)
            elif layer == "claim":
                italic = True
                underline = underline or self.look != "none"
                hue = None if self.look == "none" else self.hue(label)
            else:
                bold = bold or layer == "event"
                underline = underline or (layer == "entity" and self.look == "none")
                if self.look != "none":
                    bg, hue = self._background(label), None
            if agreed is False:
                overline = True
                hue = None if self.look == "none" else self.error
        fg = self._text_on(bg, hue)
        return Style(color=fg.rich_color, bgcolor=bg.rich_color, bold=bold, italic=italic, underline=underline,
                     overline=overline)

    def tag(self, label: str, kind: str) -> Style:
        """``[LABEL]`` after a span (bold) or a suggestion (italic), in the label's hue where colour is used."""
        hue = None if self.look == "none" else self.hue(label)
        return Style(color=self._text_on(self.page, hue).rich_color, bgcolor=self.page.rich_color,
                     bold=kind == "span", italic=kind != "span")

