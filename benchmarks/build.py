"""Benchmark: wall time and peak memory of `pccgraph build` (not a test).

Runs each size in a fresh process so peak RSS is that build's alone:
the bundled 24 letters, and SYNTHETIC corpora made by repeating them with the
report titles and dates altered so no two letters are duplicates.

    .venv/bin/python benchmarks/build.py [--sizes 24,240,1200] [--out benchmarks/BUILD.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "letters" / "west-mercia-pcc-2014-2016.txt"

CHILD = """
import json, resource, sys, time
from pccgraph.pipeline import build
start = time.perf_counter()
result = build([sys.argv[1]], sys.argv[2], reference_dir=sys.argv[3], views=False)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "letters": result.letters, "triples": result.triples,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def synthetic_corpus(folder: Path, letters: int) -> None:
    """Write about ``letters`` letters: the bundled file repeated with altered titles (SYNTHETIC)."""
    text = BUNDLED.read_text(encoding="utf-8")
    copies = max(1, letters // 24)
    for n in range(copies):
        if n == 0:
            variant = text
        else:
            variant = re.sub(r"(Dear Home Secretary,\n\n)(.+)", lambda m: f"{m.group(1)}{m.group(2)} (synthetic copy {n})", text)
        (folder / f"synthetic-{n:04d}.txt").write_text(variant, encoding="utf-8")


def run(size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "letters"
        corpus.mkdir()
        if size == 24:
            (corpus / BUNDLED.name).write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
        else:
            synthetic_corpus(corpus, size)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(corpus), str(Path(tmp) / "out"), str(ROOT / "data" / "reference")],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="24,240,1200")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "BUILD.md")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        r = run(size)
        rows.append((size, r))
        print(f"{size:>6} letters: {r['seconds']:.2f} s build, {r['triples']} triples, "
              f"{r['peak_mib']:.0f} MiB peak ({time.perf_counter() - started:.1f} s with start-up)")
    lines = [
        "# Build benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "Corpora above 24 letters are SYNTHETIC: the bundled letters repeated with altered titles.",
        "Graph outputs only (`views=False`); each size in a fresh process.",
        "",
        "| letters | build (s) | triples | peak memory (MiB) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r['letters']} | {r['seconds']:.2f} | {r['triples']} | {r['peak_mib']:.0f} |" for _, r in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
