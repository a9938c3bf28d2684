"""Bad input: every case gives a clear message with file and line, the right exit code,
keeps every readable letter, and never leaves output half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from pccgraph.cli import cli
from pccgraph.corpus import read_corpus
from pccgraph.errors import OutputError
from pccgraph.output import write_graph_outputs
from pccgraph.pipeline import build
from pccgraph.validation import validate
from pccgraph.vocab import DCTERMS, ID, PCC

from .conftest import BUNDLED, FIXTURES, REFERENCE

BAD = FIXTURES / "bad_input"
OUTPUTS = ["pccgraph.jsonld", "pccgraph.trig", "pccgraph.ttl"]


def _flat(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def _build(tmp_path: Path, *inputs: Path | str) -> tuple[Result, Path]:
    """`pccgraph build INPUTS -o tmp/out --no-views` through click's runner."""
    out = tmp_path / "out"
    args = ["build", *map(str, inputs), "-o", str(out), "--reference", str(REFERENCE), "--no-views", "-q"]
    return CliRunner().invoke(cli, args), out


def _copy(tmp_path: Path, *names: str) -> Path:
    """A fresh input folder holding copies of the named fixtures."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(BAD / name, folder / name)
    return folder


def _letters(out: Path) -> Graph:
    return Graph().parse(out / "pccgraph.ttl")


def _only_letter(g: Graph) -> URIRef:
    [letter] = g.subjects(RDF.type, PCC.Letter)
    return letter  # type: ignore[return-value]


@pytest.fixture(scope="module")
def clean_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The pcc:text of the well-formed fixture letter, for comparison."""
    result, out = _build(tmp_path_factory.mktemp("clean"), BAD / "letter.txt")
    assert result.exit_code == 0, result.output
    g = _letters(out)
    return str(g.value(_only_letter(g), PCC.text))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.txt", "empty.txt:1: warning: skipped: the file is empty"),
        ("image-named-letter.txt", "image-named-letter.txt:1: error: skipped: a PNG image, not text"),
        ("no-letters.txt", "no-letters.txt:1: warning: no response in this file: it names no inspection"),
    ],
)
def test_bad_input_nothing_to_build_exits_2(tmp_path: Path, name: str, expected: str) -> None:
    """An empty, binary or letterless file alone: exit 2, the file and line named, nothing written."""
    result, out = _build(tmp_path, BAD / name)
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    assert "error: no letters found" in text
    assert expected in text
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.txt", "empty.txt:1: warning: skipped: the file is empty"),
        ("image-named-letter.txt", "image-named-letter.txt:1: error: skipped: a PNG image, not text"),
        ("no-letters.txt", "no-letters.txt:1: warning: no response in this file"),
    ],
)
def test_bad_input_beside_a_good_letter_is_reported_and_skipped(tmp_path: Path, name: str, expected: str) -> None:
    """The same files next to a good letter: reported, skipped, and the letter is built (exit 0)."""
    result, out = _build(tmp_path, _copy(tmp_path, "letter.txt", name))
    assert result.exit_code == 0, result.output
    assert expected in _flat(result.output)
    assert len(set(_letters(out).subjects(RDF.type, PCC.Letter))) == 1


def test_bad_input_cp1252_smart_quotes(tmp_path: Path, clean_text: str) -> None:
    """cp1252 bytes are read as cp1252 with a warning naming the line; the quotes survive."""
    result, out = _build(tmp_path, BAD / "cp1252-smart-quotes.txt")
    assert result.exit_code == 0, result.output
    assert (
        "cp1252-smart-quotes.txt:7: warning: not valid UTF-8 (first bad byte 0x93); read as cp1252"
        in _flat(result.output)
    )
    g = _letters(out)
    letter = _only_letter(g)
    assert str(g.value(letter, PCC.text)) == clean_text
    titles = {str(t) for r in g.objects(letter, PCC.respondsTo) for t in g.objects(r, DCTERMS.title)}
    assert titles == {"PEEL: POLICE EFFICIENCY 2015"}
    assert validate(out / "pccgraph.ttl").conforms


@pytest.mark.parametrize("name", ["utf8-bom.txt", "crlf.txt"])
def test_bad_input_bom_and_crlf_give_the_same_letter(tmp_path: Path, clean_text: str, name: str) -> None:
    """A UTF-8 BOM or CRLF line ends change nothing: same text, lines and offsets, no warning."""
    result, out = _build(tmp_path, BAD / name)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    g = _letters(out)
    letter = _only_letter(g)
    text = str(g.value(letter, PCC.text))
    assert text == clean_text
    assert "\r" not in text and "\ufeff" not in text
    assert g.value(letter, PCC.startLine) == Literal(1)
    assert validate(out / "pccgraph.ttl").conforms


def test_bad_input_utf16_with_bom(tmp_path: Path, clean_text: str) -> None:
    """Windows "Unicode" (UTF-16 with a BOM) is text, not binary."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "utf16.txt").write_bytes((BAD / "letter.txt").read_text(encoding="utf-8").encode("utf-16"))
    result, out = _build(tmp_path, folder)
    assert result.exit_code == 0, result.output
    g = _letters(out)
    assert str(g.value(_only_letter(g), PCC.text)) == clean_text


@pytest.mark.parametrize(
    ("name", "warning", "violation"),
    [
        (
            "no-date.txt",
            "no-date.txt:1: warning: no date found in the letter's heading",
            "INVALID violation: pccid:letter/undated-peel-police-efficiency-2015 : a response needs a dcterms:date",
        ),
        (
            "no-subject.txt",
            "no-subject.txt:6: warning: no subject line naming a report found",
            "INVALID violation: pccid:letter/2016-01-14-letter pcc:respondsTo:",
        ),
    ],
)
def test_bad_input_partial_letter_is_kept_with_warning(
    tmp_path: Path, name: str, warning: str, violation: str
) -> None:
    """A letter without a date or subject is built, carries a pcc:warning, and fails validation loudly."""
    result, out = _build(tmp_path, BAD / name)
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert warning in text
    assert violation in text
    g = _letters(out)
    letter = _only_letter(g)
    warnings = [str(w) for w in g.objects(letter, PCC.warning)]
    assert any(warning.split(": warning: ")[1] in w and w.startswith(name) for w in warnings), warnings
    check = CliRunner().invoke(cli, ["validate", str(out / "pccgraph.ttl")])
    assert check.exit_code == 1, check.output


def test_bad_input_same_letter_twice_in_one_file(tmp_path: Path) -> None:
    """The second copy is reported with both places and left out; one letter is built."""
    result, out = _build(tmp_path, BAD / "same-letter-twice.txt")
    assert result.exit_code == 0, result.output
    assert (
        "same-letter-twice.txt:16: warning: duplicate letter: same text as same-letter-twice.txt:1; kept once"
        in _flat(result.output)
    )
    assert len(set(_letters(out).subjects(RDF.type, PCC.Letter))) == 1


def test_bad_input_same_letter_in_two_files(tmp_path: Path) -> None:
    """Duplicates are found by content hash across files too (CRLF and BOM copies included)."""
    folder = _copy(tmp_path, "letter.txt", "crlf.txt", "utf8-bom.txt")
    result, out = _build(tmp_path, folder)
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert "letter.txt:1: warning: duplicate letter: same text as crlf.txt:1; kept once" in text
    assert "utf8-bom.txt:1: warning: duplicate letter: same text as crlf.txt:1; kept once" in text
    assert len(set(_letters(out).subjects(RDF.type, PCC.Letter))) == 1


def test_bad_input_folder_of_unsupported_files(tmp_path: Path) -> None:
    """CSV and PNG files are named as skipped, a broken PDF and DOCX as unreadable; alone they build nothing."""
    result, out = _build(tmp_path, BAD / "unsupported")
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    for name, suffix in (("forces.csv", ".csv"), ("scan.png", ".png")):
        assert f"{name}: warning: skipped: unsupported file type '{suffix}'; pccgraph reads .txt, .md, .pdf, .docx, .html, .htm" in text
    assert "report.pdf: error: cannot read as PDF:" in text
    assert "minutes.docx: error: cannot read as Word (.docx):" in text


def test_bad_input_unsupported_files_beside_a_letter(tmp_path: Path) -> None:
    """With a letter among them, the letter is built (exit 0) and each other file is reported."""
    folder = tmp_path / "in"
    shutil.copytree(BAD / "unsupported", folder)
    shutil.copy(BAD / "letter.txt", folder / "letter.txt")
    result, out = _build(tmp_path, folder)
    assert result.exit_code == 0, result.output
    assert "report.pdf: error: cannot read as PDF" in _flat(result.output)
    assert "scan.png: warning: skipped" in _flat(result.output)
    assert len(set(_letters(out).subjects(RDF.type, PCC.Letter))) == 1


def test_bad_input_unreadable_file(tmp_path: Path) -> None:
    """A file whose read fails is named with the OS's reason; the readable letter is still built.

    Tests run as root, where chmod 000 does not stop reads, so the unreadable file is a
    link to /proc/self/mem, which the kernel refuses to read at offset 0 (EIO): a real
    read error, no monkeypatching. Without root, a chmod 000 file is used as well.
    """
    folder = _copy(tmp_path, "letter.txt")
    (folder / "unreadable.txt").symlink_to("/proc/self/mem")
    denied = None
    if os.geteuid() != 0:
        denied = folder / "denied.txt"
        denied.write_text("Dear Home Secretary,\n", encoding="utf-8")
        denied.chmod(0)
    result, out = _build(tmp_path, folder)
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert "unreadable.txt: error: cannot read: Input/output error" in text
    if denied is not None:
        assert "denied.txt: error: cannot read: Permission denied" in text
    assert len(set(_letters(out).subjects(RDF.type, PCC.Letter))) == 1


def test_bad_input_unreadable_file_alone_exits_2(tmp_path: Path) -> None:
    """When the only input cannot be read, nothing is built and the exit code is 2."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "unreadable.txt").symlink_to("/proc/self/mem")
    result, _ = _build(tmp_path, folder)
    assert result.exit_code == 2
    assert "unreadable.txt: error: cannot read: Input/output error" in _flat(result.output)


def test_bad_input_broken_link_and_fifo_are_reported_not_skipped(tmp_path: Path) -> None:
    """A dangling symlink and a FIFO named .txt are reported (and the FIFO is never opened)."""
    folder = _copy(tmp_path, "letter.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    result = read_corpus([folder])
    messages = {str(p) for p in result.problems}
    assert "gone.txt: error: cannot read: a broken link" in messages
    assert "pipe.txt: error: cannot read: not a regular file" in messages
    assert [d.path for d in result.documents] == ["letter.txt"]


def test_bad_input_missing_path_exits_2(tmp_path: Path) -> None:
    """A path that does not exist is named; exit 2."""
    result, _ = _build(tmp_path, tmp_path / "no-such-folder")
    assert result.exit_code == 2
    assert "no-such-folder: no such file or folder" in _flat(result.output)


def _previous_outputs(out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    previous = {name: f"previous {name}\n" for name in OUTPUTS}
    for name, text in previous.items():
        (out / name).write_text(text, encoding="utf-8")
    return previous


def _temporary_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp"))


def test_bad_input_unwritable_output_keeps_previous_outputs(tmp_path: Path) -> None:
    """When pccgraph.ttl cannot be replaced (a folder is in the way), the build fails with exit 2,
    names the file, leaves the previous outputs as they were and no temporary file behind."""
    out = tmp_path / "out"
    previous = _previous_outputs(out)
    (out / "pccgraph.ttl").unlink()
    (out / "pccgraph.ttl").mkdir()
    result, _ = _build(tmp_path, BAD / "letter.txt")
    assert result.exit_code == 2, result.output
    assert "pccgraph.ttl: cannot write" in _flat(result.output)
    for name in ("pccgraph.trig", "pccgraph.jsonld"):
        assert (out / name).read_text(encoding="utf-8") == previous[name]
    assert _temporary_files(out) == []


class _Exploding(URIRef):
    """An IRI whose serialisation fails, as a disk or encoder failure would mid-write."""

    __slots__ = ()

    def n3(self, namespace_manager: object = None) -> str:
        raise RuntimeError("serialiser failed half-way")


def test_bad_input_serialiser_failure_keeps_previous_outputs(tmp_path: Path) -> None:
    """An exception inside the serialiser, after some triples were written, replaces nothing."""
    out = tmp_path / "out"
    previous = _previous_outputs(out)
    ds = Dataset()
    g = ds.graph(ID["letter/x"])
    for n in range(50):
        g.add((ID[f"letter/x{n}"], RDF.type, PCC.Letter))
    g.add((_Exploding(str(ID["letter/boom"])), RDF.type, PCC.Letter))
    with pytest.raises((RuntimeError, OutputError)):
        write_graph_outputs(ds, out)
    assert {name: (out / name).read_text(encoding="utf-8") for name in OUTPUTS} == previous
    assert _temporary_files(out) == []


def test_bad_input_failure_on_a_later_output_keeps_all_previous_outputs(tmp_path: Path) -> None:
    """When the second output cannot be replaced, the first is not replaced either."""
    out = tmp_path / "out"
    previous = _previous_outputs(out)
    (out / "pccgraph.trig").unlink()
    (out / "pccgraph.trig").mkdir()
    result, _ = _build(tmp_path, BAD / "letter.txt")
    assert result.exit_code == 2, result.output
    assert _temporary_files(out) == []
    for name in ("pccgraph.ttl", "pccgraph.jsonld"):
        assert (out / name).read_text(encoding="utf-8") == previous[name]


def test_bad_input_library_keeps_every_readable_letter(tmp_path: Path) -> None:
    """From Python: a folder of every bad input builds the readable letters, each problem located."""
    folder = tmp_path / "in"
    shutil.copytree(BAD, folder)
    (folder / "unreadable.txt").symlink_to("/proc/self/mem")
    result = build([folder], None, reference_dir=REFERENCE, views=False)
    problems = {str(p) for p in result.problems}
    # letter.txt, crlf, bom and cp1252 and both copies in same-letter-twice are one letter (the
    # cp1252 copy differs only in bytes, not text); the undated and subject-less ones differ.
    letters = set(result.dataset.subjects(RDF.type, PCC.Letter))
    assert len(letters) == 3, sorted(letters)
    assert any(p.startswith("empty.txt:1: warning") for p in problems)
    assert any(p.startswith("image-named-letter.txt:1: error") for p in problems)
    assert any(p.startswith("no-letters.txt:1: warning") for p in problems)
    assert any(p.startswith("unreadable.txt: error: cannot read") for p in problems)
    assert any(p.startswith("unsupported/report.pdf: error: cannot read as PDF") for p in problems)
    assert any(p.startswith("unsupported/scan.png: warning") for p in problems)
    warned = {str(s) for s, _ in result.dataset.subject_objects(PCC.warning)}
    assert len(warned) == 2  # the undated letter and the one without a subject


_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
tail = done.stderr.strip().splitlines()[-3:]
print(done.returncode, peak_kb, f"{seconds:.1f}", len(done.stderr.splitlines()), *tail, sep="\\n")
"""


@pytest.mark.slow
def test_bad_input_50_mb_file_memory_bounded(tmp_path: Path) -> None:
    """A 50 MB file (the bundled letters pasted over and over) builds in bounded memory and time.

    The build runs in its own process; its peak RSS comes from getrusage(RUSAGE_CHILDREN)
    in a fresh wrapper process that has no other children.
    """
    one = BUNDLED.read_text(encoding="utf-8") + "\n\n"
    copies = 50_000_000 // len(one.encode("utf-8")) + 1
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as f:
        for _ in range(copies):
            f.write(one)
    assert big.stat().st_size >= 50_000_000
    out = tmp_path / "out"
    pccgraph = Path(sys.executable).with_name("pccgraph")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(pccgraph), "build", str(big), "-o", str(out),
         "--reference", str(REFERENCE), "--no-views", "-q"],
        capture_output=True, text=True, timeout=900,
    )
    code, peak_kb, seconds, lines, *tail = done.stdout.splitlines()
    print(f"50 MB build: exit {code}, peak RSS {int(peak_kb) / 1024:.0f} MiB, {seconds} s, "
          f"{lines} lines of problems (wall {time.perf_counter() - started:.1f} s)")
    assert code == "0", done.stdout + done.stderr
    assert int(peak_kb) < 1.5 * 1024 * 1024, f"peak RSS {peak_kb} kB"
    assert float(seconds) < 300
    g = Graph().parse(out / "pccgraph.ttl")
    assert len(set(g.subjects(RDF.type, PCC.Letter))) == 24
    # every repeat is counted as a duplicate; the CLI shows 20 and summarises the rest
    assert int(lines) < 100
    assert f"… and {24 * (copies - 1) - 20} more like 'duplicate letter" in "\n".join(tail)
