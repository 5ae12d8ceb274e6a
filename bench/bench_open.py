"""What opening a database costs: a Store opened and closed while another connection is open (as every
command and every export worker do), and the read-only look it starts with.

    python bench/bench_open.py [--n 300]
"""
from __future__ import annotations

import argparse
import tempfile
import timeit
from pathlib import Path

from annotations.corpus import import_seeds
from annotations.store import Store, _inspect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="opens per timing (the best of three is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tandai.db"
        with Store(path) as store:
            import_seeds(store)
            for name, step in [("Store(path) opened and closed", lambda: Store(path).close()),
                               ("  of which the read-only look (_inspect)", lambda: _inspect(path))]:
                best = min(timeit.repeat(step, number=args.n, repeat=3)) / args.n
                print(f"{name}: {best * 1000:.2f} ms")


if __name__ == "__main__":
    main()
