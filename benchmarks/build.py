"""Benchmark: wall time and peak memory of `pccgraph build` (not a test).

Runs each size in a fresh process so peak RSS is that build's alone:
the bundled 24 letters, and SYNTHETIC corpora made by repeating them with the
report titles and dates altered so no two letters are duplicates.

    .venv/bin/python benchmarks/build.py [--sizes 24,240,1200] [--out benchmarks/BUILD.md]

With ``--cli`` it times the whole ``pccgraph build --no-views`` command as a user runs
it (validation included) for each size and each ``--jobs``, in a fresh wrapper process
(wall, CPU user+sys of the command and its workers, peak RSS of the largest process),
then a rebuild after one edited response; it prints a Markdown table and writes nothing.
Corpora come from ``benchmarks/synthetic_archive.py`` (or ``--generator PATH``) when it
exists, else from the synthetic copies above:

    .venv/bin/python benchmarks/build.py --cli --sizes 24,1000 --jobs 1,2
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


MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(done.returncode, f"{wall:.2f}", f"{usage.ru_utime + usage.ru_stime:.2f}", usage.ru_maxrss // 1024)
if done.returncode:
    print(done.stderr[-2000:], file=sys.stderr)
"""


def measured(command: list[str]) -> dict[str, float]:
    """Run ``command`` in a fresh wrapper: wall s, CPU s (user + sys, workers included), peak MiB."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=ROOT)
    code, wall, cpu, peak = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed: {out.stderr}")
    return {"wall": float(wall), "cpu": float(cpu), "peak_mib": float(peak)}


def make_corpus(folder: Path, size: int, generator: Path | None) -> str:
    """Write a corpus of about ``size`` responses; what it is, for the table."""
    if size == 24:
        (folder / BUNDLED.name).write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
        return "bundled"
    if generator is not None and generator.is_file():
        subprocess.run([sys.executable, str(generator), str(folder), "--count", str(size),
                        "--reference", str(ROOT / "data" / "reference")], check=True, capture_output=True)
        return "synthetic archive"
    synthetic_corpus(folder, size)
    return "synthetic copies"


def triples_of(out: Path) -> int:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(out / "pccgraph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    return len(store)


def cli_benchmark(sizes: list[int], jobs: list[int], generator: Path | None) -> None:
    pccgraph = str(Path(sys.executable).with_name("pccgraph"))
    print("| responses | corpus | --jobs | wall (s) | CPU (s) | responses/s (wall) | peak RSS (MiB) | triples |")
    print("|---|---|---|---|---|---|---|---|")
    rebuilds = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "letters"
            corpus.mkdir()
            kind = make_corpus(corpus, size, generator)
            for j in jobs:
                out = Path(tmp) / f"out-{j}"
                r = measured([pccgraph, "build", str(corpus), "-o", str(out), "--no-views", "-q", "--jobs", str(j),
                              "--no-cache"])
                print(f"| {size} | {kind} | {j} | {r['wall']:.1f} | {r['cpu']:.1f} | {size / r['wall']:.0f} | "
                      f"{r['peak_mib']:.0f} | {triples_of(out)} |", flush=True)
            out = Path(tmp) / "out-cached"
            command = [pccgraph, "build", str(corpus), "-o", str(out), "--no-views", "-q", "--jobs", str(max(jobs))]
            measured(command)  # fills the cache
            first = sorted(corpus.iterdir())[len(list(corpus.iterdir())) // 2]
            text = first.read_text(encoding="utf-8")
            first.write_text(text.replace("\n\n", "\n\nThis sentence was added for the rebuild benchmark.\n\n", 1),
                             encoding="utf-8")
            rebuilds.append((size, measured(command)))
    print()
    print("| responses | rebuild after one edited file: wall (s) | CPU (s) | peak RSS (MiB) |")
    print("|---|---|---|---|")
    for size, r in rebuilds:
        print(f"| {size} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mib']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="24,240,1200")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "BUILD.md")
    parser.add_argument("--cli", action="store_true", help="time the whole `pccgraph build` command (see above)")
    parser.add_argument("--jobs", default="1,2", help="--jobs values for --cli")
    parser.add_argument("--generator", type=Path, default=ROOT / "benchmarks" / "synthetic_archive.py")
    args = parser.parse_args()
    if args.cli:
        cli_benchmark([int(s) for s in args.sizes.split(",")], [int(j) for j in args.jobs.split(",")], args.generator)
        return
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
