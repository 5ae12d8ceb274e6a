"""A compiled module built from older code (an editable install pip did not rebuild after a pull) is left
unused: the code without C runs, and stderr says once, in one line, how to rebuild."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# (module, what its old build lacked, code that calls it through its Python side, what that prints)
STALE = [
    ("_tokens", "layout", "from annotations.tokens import spacy_layout;"
     " print(spacy_layout('a  b', [(0, 1), (3, 4)]))", "([0, 2, 3], [1, 3, 4], [True, False, False])"),
    ("_words", "find", "from annotations.doc_words import positions, word_ids; import numpy;"
     " print(positions(numpy.array([7, 5, 7], dtype='uint64'), word_ids([7])).tolist())", "[0, 2]"),
    ("_agreement", "count", "from annotations import agreement; print(agreement.CompiledCounts)", "None"),
]


@pytest.mark.parametrize(("name", "lacked", "call", "expected"), STALE)
def test_a_stale_build_is_left_unused_and_said_once(name, lacked, call, expected):
    pytest.importorskip(f"annotations.{name}", reason="not built: nothing can be stale")
    script = textwrap.dedent(f"""
        import sys, types
        import annotations.{name} as built
        stale = types.ModuleType(built.__name__)  # as built before {lacked} was added (and before ABI numbers)
        stale.__dict__.update((k, v) for k, v in vars(built).items() if k not in ("ABI", "{lacked}"))
        sys.modules[built.__name__] = stale
        setattr(sys.modules["annotations"], "{name}", stale)
        {call}
        {call}
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [expected, expected]
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"tandai: the compiled annotations/{name} is an old build")
    assert line.endswith(f"{sys.executable} -m pip install -e {Path(__file__).resolve().parent.parent}")
