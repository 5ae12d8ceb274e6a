"""Import boundaries: the library never imports Textual; the TUI does not import spaCy to paint."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_core_modules_import_without_textual():
    out = run_python("""
        import annotations, annotations.store, annotations.corpus, annotations.tokens, annotations.scheme
        import sys
        assert 'textual' not in sys.modules
        assert 'spacy' not in sys.modules, 'spacy is imported only where it is used'
        print('ok')
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_every_library_module_imports_without_textual():
    out = run_python("""
        import importlib, pkgutil, sys
        import annotations
        names = [m.name for m in pkgutil.walk_packages(annotations.__path__, 'annotations.')
                 if m.name != 'annotations.pretag']
        for name in names:
            importlib.import_module(name)
        leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))
        assert not leaked, leaked
        print(len(names), ' '.join(names))
    """)
    assert out.returncode == 0, out.stderr
    count, names = out.stdout.split(" ", 1)
    for expected in ("annotations.store", "annotations.corpus", "annotations.tokens", "annotations.scheme"):
        assert expected in names.split()
    assert int(count) >= 6


def test_pretag_imports_without_textual():
    out = run_python("""
        import sys
        import annotations.pretag
        assert 'textual' not in sys.modules
        assert 'spacy' in sys.modules
    """)
    assert out.returncode == 0, out.stderr


def test_no_textual_import_statement_in_the_library():
    """Also catch imports hidden inside functions, which the runtime checks above would not run."""
    offenders = []
    for path in (ROOT / "annotations").rglob("*.py"):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith(("import textual", "from textual")):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


def test_tui_app_does_not_import_spacy():
    if importlib.util.find_spec("tui.app") is None:
        pytest.skip("tui.app does not exist yet")
    out = run_python("""
        import sys
        import tui.app
        assert 'spacy' not in sys.modules, 'the TUI must paint its first frame without spaCy'
        print('ok')
    """)
    assert out.returncode == 0, out.stderr


def test_cli_help_does_not_import_spacy_or_textual():
    out = run_python("""
        import sys
        from click.testing import CliRunner
        from tui.cli import main
        result = CliRunner().invoke(main, ['--help'])
        assert result.exit_code == 0, result.output
        assert 'import' in result.output and 'tag' in result.output
        assert 'spacy' not in sys.modules
        print('ok')
    """)
    assert out.returncode == 0, out.stderr
