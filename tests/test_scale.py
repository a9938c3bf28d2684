"""Building at scale: same bytes for any --jobs and on Dask, incremental rebuilds from
the extraction cache, removed responses gone from every output and from a pushed store,
and all-or-nothing streamed outputs."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from pccgraph import store
from pccgraph.cli import cli
from pccgraph.errors import OutputError
from pccgraph.output import GRAPH_FILES, write_store_outputs
from pccgraph.pipeline import build
from pccgraph.vocab import ID, PCC

from .conftest import BUNDLED, LETTERS, REFERENCE

COUNT_RESPONSE_GRAPHS = """SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/pccgraph/id/letter/")) }"""


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in GRAPH_FILES}


@pytest.fixture(scope="module")
def one_per_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 24 bundled letters, each in a file of its own (cut where the library cuts them)."""
    from pccgraph.pipeline import read_letters

    folder = tmp_path_factory.mktemp("letters")
    letters, _ = read_letters([BUNDLED])
    assert len(letters) == 24
    for n, raw in enumerate(letters):
        (folder / f"letter-{n:02d}.txt").write_text(raw.text + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus built with --jobs 1 and no cache."""
    out = tmp_path_factory.mktemp("serial")
    result = CliRunner().invoke(cli, ["build", str(LETTERS), "-o", str(out), "--reference", str(REFERENCE),
                                      "--no-views", "-q", "--jobs", "1", "--no-cache"])
    assert result.exit_code == 0, result.output
    return out


def test_scale_jobs_give_the_same_bytes(serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 2 (a process pool cutting files and extracting, forked workers making the response graphs, here
    even for 24 letters) writes the same four files, byte for byte, as --jobs 1; so does
    the default (the machine's cores), which extracts so few responses in this process."""
    from pccgraph import executor, render

    monkeypatch.setattr(executor, "POOL_MIN_RESPONSES", 2)
    monkeypatch.setattr(executor, "SPLIT_POOL_MIN", 0)
    monkeypatch.setattr(render, "FORK_MIN_RESPONSES", 0)
    monkeypatch.setattr(render, "FORK_CHUNK", 5)
    result = CliRunner().invoke(cli, ["build", str(LETTERS), "-o", str(tmp_path), "--reference", str(REFERENCE),
                                      "--no-views", "-q", "--jobs", "2", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path) == _files(serial)
    assert not (tmp_path / ".cache").exists()
    monkeypatch.undo()
    default = tmp_path / "default"
    result = CliRunner().invoke(cli, ["build", str(LETTERS), "-o", str(default), "--reference", str(REFERENCE),
                                      "--no-views", "-q"])
    assert result.exit_code == 0, result.output
    assert _files(default) == _files(serial)


@pytest.mark.slow
def test_scale_dask_cluster_gives_the_same_bytes(serial: Path, tmp_path: Path) -> None:
    """A real Dask LocalCluster (2 worker processes) extracts; the outputs equal --jobs 1's."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        result = CliRunner().invoke(cli, ["build", str(LETTERS), "-o", str(tmp_path), "--reference",
                                          str(REFERENCE), "--no-views", "-q", "--no-cache",
                                          "--executor", f"dask://{address}"])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path) == _files(serial)


def test_scale_dask_unreachable_or_malformed_is_a_clear_error(tmp_path: Path) -> None:
    """A bad executor address is exit 2 with the reason, and nothing is written."""
    for executor, reason in (("spark://x", "expected dask://HOST:PORT"),
                             (f"dask://127.0.0.1:{store.free_port()}", "cannot reach the Dask scheduler")):
        result = CliRunner().invoke(cli, ["build", str(LETTERS), "-o", str(tmp_path), "--reference",
                                          str(REFERENCE), "--no-views", "-q", "--no-cache", "--executor", executor])
        assert result.exit_code == 2, result.output
        assert reason in " ".join(result.output.split())
        assert not (tmp_path / "pccgraph.ttl").exists()


def test_scale_rebuild_extracts_only_the_edited_letter(one_per_file: Path, tmp_path: Path) -> None:
    """With the cache, a rebuild after editing one letter extracts that letter alone,
    and gives the bytes a fresh build of the edited corpus gives."""
    letters = tmp_path / "letters"
    letters.mkdir()
    for path in sorted(one_per_file.iterdir()):
        (letters / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    first = build([letters], out, reference_dir=REFERENCE, views=False)
    assert (first.letters, first.extracted, first.cached) == (24, 24, 0)
    again = build([letters], out, reference_dir=REFERENCE, views=False)
    assert (again.extracted, again.cached) == (0, 24)

    edited = letters / "letter-05.txt"
    text = edited.read_text(encoding="utf-8")
    assert "\nYours sincerely" in text
    edited.write_text(text.replace("\nYours sincerely", "\nThank you for your report.\n\nYours sincerely", 1),
                      encoding="utf-8")
    seen: list[tuple[str, int, int]] = []
    rebuilt = build([letters], out, reference_dir=REFERENCE, views=False,
                    progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert (rebuilt.extracted, rebuilt.cached) == (1, 23)
    assert ("extract", 23, 24) in seen and ("extract", 24, 24) in seen
    assert "Thank you for your report." in (out / "pccgraph.ttl").read_text(encoding="utf-8")

    fresh = tmp_path / "fresh"
    build([letters], fresh, reference_dir=REFERENCE, views=False, cache=False)
    assert _files(out) == _files(fresh)
    assert not (fresh / ".cache").exists()


def test_scale_cache_is_keyed_by_reference_data(one_per_file: Path, tmp_path: Path) -> None:
    """Changing a reference data file invalidates every cached extraction."""
    reference = tmp_path / "reference"
    reference.mkdir()
    for path in REFERENCE.iterdir():
        if path.is_file():
            (reference / path.name).write_bytes(path.read_bytes())
    cache = tmp_path / "cache"
    assert build([one_per_file], None, reference_dir=reference, cache=cache).extracted == 24
    assert build([one_per_file], None, reference_dir=reference, cache=cache).extracted == 0
    changed = next(p for p in sorted(reference.iterdir()) if p.suffix == ".csv")
    changed.write_bytes(changed.read_bytes() + b"\n")
    assert build([one_per_file], None, reference_dir=reference, cache=cache).extracted == 24


def test_scale_removed_file_leaves_every_output_and_the_pushed_store(one_per_file: Path, tmp_path: Path) -> None:
    """A removed letter is gone from the Turtle, TriG, N-Quads and JSON-LD, and `pccgraph push`
    deletes its named graph from a real Oxigraph server, leaving the others."""
    letters = tmp_path / "letters"
    letters.mkdir()
    for path in sorted(one_per_file.iterdir()):
        (letters / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    before = build([letters], out, reference_dir=REFERENCE, views=False)
    gone_file = "letter-07.txt"
    gone = next(str(s) for s, f in before.dataset.subject_objects(PCC.sourceFile)
                if str(f).endswith(gone_file) and "/letter/" in str(s))
    named = {name: gone for name in GRAPH_FILES} | {"pccgraph.jsonld": gone.replace(str(ID), "pccid:")}
    for name in GRAPH_FILES:
        assert named[name] in (out / name).read_text(encoding="utf-8"), name

    with store.serve(None, port=0) as server:
        pushed = store.push(out / "pccgraph.trig", server.store_url)
        assert (pushed.graphs, pushed.deleted) == (25, ())
        assert store.response_graphs(server.query_url) >= {gone}

        (letters / gone_file).unlink()
        after = build([letters], out, reference_dir=REFERENCE, views=False)
        assert (after.letters, after.extracted, after.cached) == (23, 0, 23)
        for name in GRAPH_FILES:
            assert named[name] not in (out / name).read_text(encoding="utf-8"), name

        kept = CliRunner().invoke(cli, ["push", "--endpoint", server.store_url, "-i", str(out / "pccgraph.trig"),
                                        "--keep-gone"])
        assert kept.exit_code == 0, kept.output
        assert gone in store.response_graphs(server.query_url)

        result = CliRunner().invoke(cli, ["push", "--endpoint", server.store_url, "-i", str(out / "pccgraph.trig")])
        assert result.exit_code == 0, result.output
        assert "deleted 1 response graph(s)" in result.output
        remaining = store.response_graphs(server.query_url)
        assert gone not in remaining
        assert len(remaining) == 23
        again = store.push(out / "pccgraph.trig", server.store_url)
        assert again.deleted == ()


def test_scale_push_prune_needs_a_query_endpoint(tmp_path: Path, serial: Path) -> None:
    """An unknown kind of Graph Store URL: prune asks for --sparql before sending anything."""
    assert store.query_url_for("http://h:7878/store") == "http://h:7878/query"
    assert store.query_url_for("http://h:3030/ds/data") == "http://h:3030/ds/query"
    assert store.query_url_for("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql"
    assert store.query_url_for("http://h:7200/repositories/pcc/rdf-graphs/service") == "http://h:7200/repositories/pcc"
    assert store.query_url_for("http://h:9/graphs") is None
    with pytest.raises(store.StoreError, match="--sparql URL"):
        store.push(serial / "pccgraph.trig", "http://127.0.0.1:9/graphs")


def test_scale_on_disk_store(tmp_path: Path, serial: Path) -> None:
    """--store PATH builds into an on-disk Oxigraph store (emptied first): same files."""
    location = tmp_path / "store"
    for _ in range(2):  # the second build starts from the first's store, emptied
        result = CliRunner().invoke(cli, ["build", str(LETTERS), "-o", str(tmp_path / "out"), "--reference",
                                          str(REFERENCE), "--no-views", "-q", "--jobs", "1", "--store",
                                          str(location)])
        assert result.exit_code == 0, result.output
    assert _files(tmp_path / "out") == _files(serial)
    disk = ox.Store(str(location))
    assert len(list(disk.named_graphs())) == 25


def test_scale_failed_stream_keeps_previous_outputs(tmp_path: Path, serial: Path) -> None:
    """A failure half-way through streaming the four files replaces none of them
    and leaves no temporary file or sorted run behind."""
    out = tmp_path / "out"
    out.mkdir()
    for name in GRAPH_FILES:
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    graph = ox.Store()
    graph.load(path=str(serial / "pccgraph.nq"), format=ox.RdfFormat.N_QUADS)

    def fail_half_way(done: int, total: int) -> None:
        if done == total // 2:
            raise RuntimeError("disk gone half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        write_store_outputs(graph, out, progress=fail_half_way)
    assert {name: (out / name).read_text(encoding="utf-8") for name in GRAPH_FILES} == {
        name: f"previous {name}\n" for name in GRAPH_FILES
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(GRAPH_FILES)
    (out / "pccgraph.jsonld").unlink()
    (out / "pccgraph.jsonld").mkdir()
    with pytest.raises(OutputError, match="pccgraph.jsonld: cannot write"):
        write_store_outputs(graph, out)
    assert (out / "pccgraph.ttl").read_text(encoding="utf-8") == "previous pccgraph.ttl\n"


def test_scale_serialiser_keeps_awkward_literals_exact(tmp_path: Path) -> None:
    """Quotes, backslashes, tabs, carriage returns, a closing quote right before the end
    of a multi-line text, language tags, datatypes and signed integers all parse back,
    in rdflib and in pyoxigraph, to exactly the terms the store held (Oxigraph keeps
    numbers in canonical form: "+12" and "007" are held as 12 and 7, "2.50" as 2.5)."""
    from rdflib import Dataset
    from rdflib import Literal as RdfLiteral

    g = ox.NamedNode("https://w3id.org/pccgraph/id/letter/x")
    s = ox.NamedNode("https://w3id.org/pccgraph/id/letter/x")
    p = ox.NamedNode("https://w3id.org/pccgraph/ontology#text")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    objects = [
        ox.Literal('He said "no".\nThen: """triple""" and a \\ backslash "'),
        ox.Literal("line one\r\nline two\twith a tab\n"),
        ox.Literal('ends with a quote"'),
        ox.Literal("back\\slash \\n not a newline"),
        ox.Literal("Ünïcödé — £5m · 𝔘"),
        ox.Literal("Chief Constable", language="en"),
        ox.Literal("+12", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("007", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean")),
        ox.Literal("2.50", datatype=ox.NamedNode(xsd + "decimal")),
        ox.Literal("2015-10", datatype=ox.NamedNode(xsd + "gYearMonth")),
        ox.NamedNode("https://w3id.org/pccgraph/id/force/west-mercia-police"),
        ox.NamedNode("https://example.org/a%20b"),
    ]
    graph = ox.Store()
    graph.extend(ox.Quad(s, p, o, g) for o in objects)
    paths, triples = write_store_outputs(graph, tmp_path)
    assert triples == len(objects)
    expected = set(graph)
    held = {q.object for q in expected}
    assert ox.Literal("12", datatype=ox.NamedNode(xsd + "integer")) in held
    assert ox.Literal("2.5", datatype=ox.NamedNode(xsd + "decimal")) in held
    assert len(expected) == len(objects)
    assert set(ox.parse(path=str(paths["pccgraph.trig"]), format=ox.RdfFormat.TRIG)) == expected
    assert set(ox.parse(path=str(paths["pccgraph.nq"]), format=ox.RdfFormat.N_QUADS)) == expected
    for name, fmt in (("pccgraph.ttl", ox.RdfFormat.TURTLE), ("pccgraph.jsonld", ox.RdfFormat.JSON_LD)):
        assert {q.triple for q in ox.parse(path=str(paths[name]), format=fmt)} == {q.triple for q in expected}, name
    texts = {str(o) for _, _, o in __import__("rdflib").Graph().parse(paths["pccgraph.ttl"])}
    assert {o.value for o in held if isinstance(o, ox.Literal)} <= texts
    ds = Dataset()
    ds.parse(paths["pccgraph.trig"], format="trig")
    assert RdfLiteral("line one\r\nline two\twith a tab\n") in {q[2] for q in ds.quads((None, None, None, None))}
    assert '"""He said \\"no\\".\nThen:' in paths["pccgraph.ttl"].read_text(encoding="utf-8")


def test_scale_build_check_matches_pyshacl_on_a_broken_graph() -> None:
    """The build's SPARQL shape check finds what pySHACL finds, with the same messages.

    The bundled graph conforms; broken here in ways each shape kind catches: a
    missing date (node-level sh:or), a second text (sh:maxCount), a line number
    that is a string (sh:datatype, sh:lessThanOrEquals), a precision out of its
    list (sh:in), an empty quote (sh:minLength), a bad hash (sh:pattern), a
    grade that is not in the scheme (sh:class; sh:node and its sh:hasValue), a second
    kind (sh:xone).
    """
    from pccgraph.graph import dataset_from_store
    from pccgraph.validation import check_shapes, validate

    result = build([BUNDLED], None, reference_dir=REFERENCE, views=False, cache=False)
    st = result.store
    rows = list(st.query("""PREFIX pcc: <https://w3id.org/pccgraph/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?g ?r ?d WHERE { GRAPH ?g { ?r a pcc:Letter ; dcterms:date ?d } } ORDER BY ?r LIMIT 2"""))
    (g1, r1, d1), (g2, r2, _) = [(row["g"], row["r"], row["d"]) for row in rows]
    pcc = "https://w3id.org/pccgraph/ontology#"
    st.remove(ox.Quad(r1, ox.NamedNode("http://purl.org/dc/terms/date"), d1, g1))
    st.add(ox.Quad(r1, ox.NamedNode(pcc + "text"), ox.Literal("a second text"), g1))
    st.add(ox.Quad(r1, ox.NamedNode(pcc + "datePrecision"), ox.Literal("year"), g1))
    st.add(ox.Quad(r2, ox.NamedNode(pcc + "startLine"), ox.Literal("9999"), g2))
    st.add(ox.Quad(r2, ox.NamedNode(pcc + "sha256"), ox.Literal("ABC"), g2))
    st.add(ox.Quad(r2, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(pcc + "Statement"), g2))
    quote = next(iter(st.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/oa#exact"), None, g2)))
    st.add(ox.Quad(quote.subject, quote.predicate, ox.Literal(""), g2))
    grade = next(iter(st.quads_for_pattern(None, ox.NamedNode(pcc + "grade"), None, None)))
    st.add(ox.Quad(grade.subject, grade.predicate, ox.NamedNode(pcc + "Excellent"), grade.graph_name))

    fast = set(check_shapes(st))
    slow = {p for p in validate(dataset_from_store(st)).problems
            if p.check not in ("offsets", "evidence")}
    assert fast == slow
    checks = {p.check for p in fast}
    assert {"Or", "MaxCount", "Datatype", "In", "MinLength", "Pattern", "Class", "Xone", "Node", "HasValue"} <= checks, checks
    assert any(p.path == "" and "a response needs a dcterms:date" in p.message for p in fast)


def test_scale_cached_graph_follows_a_report_another_letter_changed(one_per_file: Path, tmp_path: Path) -> None:
    """A cached response graph is made again when what its facts resolve to changes through
    another letter: one letter cites "The PEEL Vulnerability report", which names the
    report another letter answers ('PEEL: Police Effectiveness 2015 (vulnerability)');
    when that letter answers the legitimacy report instead, the citing letter's graph
    must cite a report of its own. The rebuild writes what a fresh build writes."""
    letters = tmp_path / "letters"
    letters.mkdir()
    for path in sorted(one_per_file.iterdir()):
        (letters / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    answered = "report/peel-police-effectiveness-2015-vulnerability-west-mercia-police>"
    first = build([letters], out, reference_dir=REFERENCE, views=False)
    assert first.rendered == 24
    citing = next(p for p in letters.iterdir() if "The PEEL Vulnerability report, published" in p.read_text(encoding="utf-8"))
    assert answered in _graph_block(out, citing)
    again = build([letters], out, reference_dir=REFERENCE, views=False)
    assert (again.extracted, again.rendered) == (0, 0)

    answering = next(p for p in letters.iterdir() if "'PEEL: Police Effectiveness 2015 (vulnerability)'" in p.read_text(encoding="utf-8"))
    answering.write_text(answering.read_text(encoding="utf-8").replace("2015 (vulnerability)'", "2015 (legitimacy)'"),
                         encoding="utf-8")
    rebuilt = build([letters], out, reference_dir=REFERENCE, views=False)
    assert (rebuilt.extracted, rebuilt.rendered) == (1, 2)  # the edited letter, and the one citing its old report
    assert answered not in _graph_block(out, citing)
    fresh = tmp_path / "fresh"
    build([letters], fresh, reference_dir=REFERENCE, views=False, cache=False)
    assert _files(out) == _files(fresh)


def _graph_block(out: Path, source: Path) -> str:
    """The TriG block of the response graph read from ``source``."""
    text = (out / "pccgraph.trig").read_text(encoding="utf-8")
    graphs = re.split(r"\n(?=<[^>\s]+> \{\n)", text)
    blocks = [b for b in graphs if f'pcc:sourceFile "{source.name}"' in b and "pcc:Response" in b]
    assert len(blocks) == 1
    return blocks[0]


def test_scale_each_graph_is_checked_with_the_reference_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    """Graphs are checked in chunks, each in a small store with the reference graph; a
    problem lands on the graph whose subject it is about, and the chunks together find
    what one check over the whole store finds."""
    from dataclasses import replace

    from pccgraph import render
    from pccgraph.graph import build_store
    from pccgraph.pipeline import extract_all, read_letters
    from pccgraph.reference import load_gazetteer
    from pccgraph.resolve import resolve
    from pccgraph.validation import check_store

    gazetteer = load_gazetteer(REFERENCE)
    letters, _ = read_letters([BUNDLED])
    extractions = extract_all(letters, gazetteer)
    broken = extractions[7]
    date = next(f for f in broken.facts if f.kind == "date")
    wrong = replace(date, values=tuple((k, "fortnight" if k == "precision" else v) for k, v in date.values))
    extractions[7] = replace(broken, facts=tuple(wrong if f is date else f for f in broken.facts))
    resolved = resolve(extractions, gazetteer)
    monkeypatch.setattr(render, "FORK_CHUNK", 5)
    plan = render.render(resolved)
    units = list(plan.units())
    assert len(units) == 25 and plan.made == 24 and len(plan.missing) == 24
    assert [u.graph.iri for u in units] == sorted(u.graph.iri for u in units)
    found = [(u.graph.iri, p) for u in units for p in u.problems]
    assert len(found) == 1
    iri, problem = found[0]
    assert (problem.check, problem.path, problem.value) == ("In", "pcc:datePrecision", "'fortnight'")
    assert problem.focus == "pccid:" + iri.removeprefix(str(ID))
    assert set(check_store(build_store(resolved))) == {problem}


def test_scale_sink_lines_are_what_oxigraph_writes() -> None:
    """A response graph's lines are, byte for byte, the N-Triples Oxigraph writes for the same
    triples: every control character, quote, backslash and non-ASCII letter, language tags
    (lower-cased, as Oxigraph keeps them), datatypes, xsd:string written plain."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from pccgraph.graph import QuadSink

    s, p = URIRef(str(ID) + "letter/x"), URIRef(str(PCC) + "text")
    values = [Literal("".join(chr(c) for c in range(0x80)) + "é – ‘quoted’ \u2028 😀"),
              Literal("line one\r\nline two\t\"tab\"\\", lang="en-GB"), Literal(7), Literal(True),
              Literal("2015-12", datatype=XSD.gYearMonth), Literal("plain", datatype=XSD.string), URIRef(str(ID) + "force/x")]
    sink = QuadSink(str(ID) + "letter/x")
    for value in values:
        sink.add((s, p, value))
    expected = ox.serialize(sink.quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    graph = f" <{ID}letter/x> .\n"
    assert sink.ntriples().replace(" .\n", graph) == expected
    assert len(sink) == len(values) and (s, p, Literal(7)) in sink and (s, p, Literal(8)) not in sink
    with pytest.raises(ValueError):
        sink.add((URIRef("not an iri"), p, Literal("x")))


def test_scale_union_merged_from_runs_on_disk_in_bounded_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """When the union's records outgrow memory they are spilled to sorted runs and merged
    back: the files are the same bytes as when nothing is spilled, and the merge holds only
    a record per run at a time (memory well under the size of what it merges)."""
    import tracemalloc

    from pccgraph import output
    from pccgraph.output import render_graph

    def graphs() -> list[output.RenderedGraph]:
        out = []
        for n in range(60):
            iri = f"{ID}letter/g{n:03d}"
            lines = [f'<{ID}annotation/g{n:03d}/{k:03d}> <{PCC}text> "{("word " * 200)}{n}-{k}" .' for k in range(40)]
            lines.append(f'<{ID}report/shared> <{PCC}text> "named by g{n:03d}" .')  # one subject in every graph
            out.append(render_graph(iri, sorted(lines)))
        return out

    whole, _ = output.write_graphs(graphs(), tmp_path / "whole")
    expected = {name: path.read_bytes() for name, path in whole.items()}
    monkeypatch.setattr(output, "RUN_CHARACTERS", 100_000)
    runs = output._Runs(tmp_path / "runs")
    for graph in graphs():
        runs.add(graph)
    assert len(runs.files) >= 10
    size = sum(path.stat().st_size for path in runs.files)
    tracemalloc.start()
    merged = [(record[0], len(record[1])) for record in runs.merged()]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(merged) == 60 * 40 + 1 and peak < size / 4, (peak, size)
    spilled, _ = output.write_graphs(graphs(), tmp_path / "spilled")
    assert {name: path.read_bytes() for name, path in spilled.items()} == expected
    assert expected["pccgraph.ttl"].count(b"named by g") == 60
