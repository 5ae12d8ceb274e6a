"""``python -m tui``: the same as the ``tandai`` command (the app starts its tagger this way)."""
from .start import main

main(prog_name="tandai")
