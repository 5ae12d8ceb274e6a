"""The optional compiled modules (``_tokens``, ``_words``, ``_agreement``), used only when built from this code.

An editable install keeps the module it built until it is built again (pip does not rebuild on a pull),
so after a pull the Python code may call a function the old module lacks. Each module exports ``ABI``,
raised with every change of what it offers; a module whose ``ABI`` is not the one its Python side asks
for is treated as not built: the same code without C runs, and one line says how to rebuild.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType


def optional_extension(name: str, abi: int) -> ModuleType | None:
    """``annotations.<name>`` if it is built and its ``ABI`` is ``abi``; else None (said on stderr when a
    build is there but stale)."""
    try:
        module = importlib.import_module(f"{__package__}.{name}")
    except ImportError:  # built without a C compiler
        return None
    if getattr(module, "ABI", None) != abi:
        checkout = Path(__file__).resolve().parent.parent
        sys.stderr.write(f"tandai: the compiled annotations/{name} is an old build (slower code runs instead);"
                         f" rebuild it: {sys.executable} -m pip install -e {checkout}\n")
        return None
    return module
