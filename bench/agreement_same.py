"""Does ``tandai agreement`` print the same as another checkout's, on the bench's teams? A change to how
agreement is counted must change no figure.

    python bench/agreement_same.py --checkout DIR [--cache /tmp/tandai-bench] [--annotators 3 20]

For each team of bench_agreement.py (built by script and cached, as there) it runs the installed
``tandai --db DB agreement`` and ``python -m tui --db DB agreement`` in DIR (e.g. a worktree of main
before the change, with its compiled modules copied in) with no option, ``--by-pair`` and ``--json``,
and compares what they print. Exit status 1 when anything differs (the first differing line is shown).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import TEAMS  # noqa: E402
from synthetic import cached_annotated_db  # noqa: E402

OPTIONS = ([], ["--by-pair"], ["--json"])


def printed(argv: list[str], cwd: Path | None = None) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, cwd=cwd).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, required=True, help="the other tandai (python -m tui run there)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tandai-bench")
    parser.add_argument("--annotators", type=int, nargs="*", help="only the teams of these sizes")
    args = parser.parse_args()
    tandai = shutil.which("tandai") or "tandai"
    differ = False
    for articles, annotators in TEAMS:
        if args.annotators and annotators not in args.annotators:
            continue
        db = cached_annotated_db(args.cache, articles, annotators)
        for options in OPTIONS:
            ours = printed([tandai, "--db", str(db), "agreement", *options])
            theirs = printed([sys.executable, "-m", "tui", "--db", str(db), "agreement", *options],
                             args.checkout.resolve())
            name = f"{annotators} annotators x {articles:,} articles, agreement {' '.join(options)}".rstrip()
            if ours == theirs:
                print(f"{name}: the same ({len(ours.splitlines()):,} lines)")
                continue
            differ = True
            first = next((k for k, (a, b) in enumerate(zip(ours.splitlines(), theirs.splitlines())) if a != b),
                         min(len(ours.splitlines()), len(theirs.splitlines())))
            print(f"{name}: DIFFERS from line {first + 1}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
