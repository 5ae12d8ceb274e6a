"""``python -m tui``: the same as the ``tandai`` command (the app starts its tagger this way)."""
from .cli import main

main(prog_name="tandai")
