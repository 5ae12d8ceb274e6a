"""tandai's annotation library: the store, import, pre-tagging, exports and review.

Nothing here imports Textual, so scripts and notebooks can use the data layer
without the TUI.
"""
__version__ = "0.1.0"
