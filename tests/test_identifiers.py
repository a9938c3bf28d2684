"""identifiers.csv: Wikidata items and ONS codes joined onto the reference entities."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from pccgraph.errors import ReferenceDataError
from pccgraph.graph import describe_entity, entity_iri
from pccgraph.model import EntityType
from pccgraph.pipeline import BuildResult
from pccgraph.reference import IDENTIFIER_TYPES, load_gazetteer
from pccgraph.vocab import PCC, SKOS

from .conftest import REFERENCE

IDENTIFIERS = REFERENCE / "identifiers.csv"
WEST_MERCIA = URIRef("https://w3id.org/pccgraph/id/force/west-mercia-police")


def _rows() -> list[dict[str, str]]:
    with IDENTIFIERS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_identifiers_have_their_form_and_a_source() -> None:
    """Every Wikidata id is a Q-id, every ONS code a police force area code, every row says its source."""
    rows = _rows()
    assert rows and list(rows[0]) == ["type", "id", "wikidata", "ons_code", "source"]
    for row in rows:
        assert row["wikidata"] == "" or re.fullmatch(r"Q[1-9]\d*", row["wikidata"]), row
        assert row["ons_code"] == "" or re.fullmatch(r"E23\d{6}|W15\d{6}", row["ons_code"]), row
        assert row["wikidata"] or row["ons_code"], row
        assert row["source"].strip(), row


def test_no_two_entities_share_an_identifier() -> None:
    """A Wikidata item or an ONS code names one entity only; no entity is listed twice."""
    rows = _rows()
    for column in ("wikidata", "ons_code"):
        values = [row[column] for row in rows if row[column]]
        assert len(values) == len(set(values)), column
    keys = [(row["type"], row["id"]) for row in rows]
    assert len(keys) == len(set(keys))


def test_every_row_names_an_existing_entity() -> None:
    """Each row's id is an entity of its type in the other tables, and the loader attaches the ids."""
    gazetteer = load_gazetteer(REFERENCE)
    for row in _rows():
        types = IDENTIFIER_TYPES[row["type"]]
        entity = next(e for t in types if (e := gazetteer.get(t, row["id"])) is not None)
        assert entity.attr("wikidata") == row["wikidata"]
        assert entity.attr("ons_code") == row["ons_code"]


def test_every_police_force_area_has_its_ons_code() -> None:
    """The 43 territorial forces carry the 43 police force area codes; BTP has no area."""
    gazetteer = load_gazetteer(REFERENCE)
    codes = {e.id: e.attr("ons_code") for e in gazetteer.of_type(EntityType.FORCE)}
    assert codes.pop("british-transport-police") == ""
    expected = {f"E23{n:06d}" for n in range(1, 40)} | {f"W15{n:06d}" for n in range(1, 5)}
    assert set(codes.values()) == expected
    assert codes["west-mercia-police"] == "E23000016"
    assert codes["metropolitan-police-service"] == "E23000001"
    assert codes["city-of-london-police"] == "E23000034"
    assert codes["dyfed-powys-police"] == "W15000004"


def test_every_force_has_its_wikidata_item() -> None:
    """All 44 forces carry a Wikidata item, no two the same; the five added from WhatDoTheyKnow too."""
    gazetteer = load_gazetteer(REFERENCE)
    items = {e.id: e.attr("wikidata") for e in gazetteer.of_type(EntityType.FORCE)}
    assert len(items) == 44
    assert all(re.fullmatch(r"Q[1-9]\d*", item) for item in items.values()), items
    assert len(set(items.values())) == 44
    assert items["merseyside-police"] == "Q6820586"
    assert items["city-of-london-police"] == "Q1094151"


def test_hmicfrs_takes_the_shared_item_and_hmic_none() -> None:
    """The one item of the HMIC/HMICFRS article goes to HMICFRS only, and is written as its exactMatch."""
    gazetteer = load_gazetteer(REFERENCE)
    hmicfrs = gazetteer.get(EntityType.INSPECTORATE, "hmicfrs")
    hmic = gazetteer.get(EntityType.INSPECTORATE, "hmic")
    assert hmicfrs.attr("wikidata") == "Q5732315"
    assert hmic.attr("wikidata") == ""
    g = Graph()
    describe_entity(g, hmicfrs)
    describe_entity(g, hmic)
    item = URIRef("http://www.wikidata.org/entity/Q5732315")
    assert set(g.subjects(SKOS.exactMatch, item)) == {entity_iri(EntityType.INSPECTORATE, "hmicfrs")}
    assert list(g.objects(entity_iri(EntityType.INSPECTORATE, "hmic"), SKOS.exactMatch)) == []


def test_forces_and_lookup_see_the_same_entity() -> None:
    """The entity found by name carries the identifiers too."""
    gazetteer = load_gazetteer(REFERENCE)
    found = gazetteer.lookup("West Mercia Constabulary", EntityType.FORCE)
    assert found is gazetteer.get(EntityType.FORCE, "west-mercia-police")
    assert found.attr("wikidata") == "Q7985893"
    assert found.attr("police_uk_id") == "west-mercia"


def test_bundled_graph_links_west_mercia(built: BuildResult) -> None:
    """West Mercia Police matches its Wikidata item and links to its police force area."""
    ds = built.dataset
    assert (WEST_MERCIA, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q7985893")) in ds
    area = URIRef("http://statistics.data.gov.uk/id/statistical-geography/E23000016")
    assert (WEST_MERCIA, PCC.policeForceArea, area) in ds
    assert (area, SKOS.notation, Literal("E23000016")) in ds
    # the force is not declared the same thing as its area
    assert (WEST_MERCIA, SKOS.exactMatch, area) not in ds


@pytest.fixture()
def reference_copy(tmp_path: Path) -> Path:
    """A reference folder with the real forces and posts tables and no identifiers."""
    for name in ("forces.csv", "posts.csv", "people.csv"):
        shutil.copy(REFERENCE / name, tmp_path / name)
    return tmp_path


def _write(folder: Path, *lines: str) -> None:
    (folder / "identifiers.csv").write_text(
        "type,id,wikidata,ons_code,source\n" + "".join(line + "\n" for line in lines), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["force,west-mercia-police,Q7985893,E23000016,x", "force,west-mercia-polise,Q1,,x"],
         r"identifiers\.csv:3: no force with id 'west-mercia-polise'"),
        (["inspectorate,west-mercia-police,Q7985893,,x"], r"csv:2: no inspectorate with id"),
        (["police,west-mercia-police,Q7985893,,x"], r"identifiers\.csv:2: unknown type 'police'"),
        (["force,west-mercia-police,7985893,,x"], r"csv:2: wikidata '7985893' is not of the form"),
        (["force,west-mercia-police,,E2300016,x"], r"csv:2: ons_code 'E2300016' is not of the form"),
        (["force,west-mercia-police,Q7985893,,x", "force,warwickshire-police,Q7985893,,x"],
         r"identifiers\.csv:3: wikidata Q7985893 is already given on line 2"),
        (["force,west-mercia-police,,E23000016,x", "force,west-mercia-police,Q7985893,,x"],
         r"identifiers\.csv:3: force 'west-mercia-police' is already listed on line 2"),
        (["office,home-secretary,Q1,E23000016,x"], r"csv:2: ons_code is only for force rows, not office"),
    ],
)
def test_bad_rows_are_reported_with_file_and_line(
    reference_copy: Path, lines: list[str], message: str
) -> None:
    """A wrong row stops loading with the file and line that hold it."""
    _write(reference_copy, *lines)
    with pytest.raises(ReferenceDataError, match=message):
        load_gazetteer(reference_copy)


def test_office_and_person_rows_attach(reference_copy: Path) -> None:
    """The loader is driven by the type column: posts and people take a Wikidata id too."""
    _write(reference_copy, "office,home-secretary,Q2,,x", "person,amber-rudd,Q3,,x")
    gazetteer = load_gazetteer(reference_copy)
    assert gazetteer.get(EntityType.POST, "home-secretary").attr("wikidata") == "Q2"
    assert gazetteer.get(EntityType.PERSON, "amber-rudd").attr("wikidata") == "Q3"
    assert gazetteer.get(EntityType.FORCE, "west-mercia-police").attr("wikidata") == ""


def _documented_sources() -> dict[str, str]:
    """The README's Sources table for identifiers.csv: key -> "what it confirmed"."""
    text = (REFERENCE / "README.md").read_text(encoding="utf-8")
    section = text.split("### Sources", 1)[1].split("\n\n", 2)[1]
    table: dict[str, str] = {}
    for line in section.splitlines():
        match = re.fullmatch(r"\| `([a-z-]+)` \|.*\| ([^|]+) \|", line)
        if match:
            table[match.group(1)] = match.group(2).strip()
    return table


def test_every_source_key_is_documented_and_used() -> None:
    """Each key in the source column has a row in the README's Sources table, and no row is stale."""
    documented = _documented_sources()
    assert {"nsi", "ons-pfa", "ocd-pfa"} <= set(documented)
    used = {key for row in _rows() for key in row["source"].split()}
    assert used == set(documented)


def test_each_identifier_is_backed_by_a_source_of_its_kind() -> None:
    """A Wikidata id cites a source that confirmed Wikidata items; an ONS code one that confirmed ONS codes."""
    documented = _documented_sources()
    for row in _rows():
        confirmed = [documented[key] for key in row["source"].split()]
        if row["wikidata"]:
            assert any("Wikidata items" in what for what in confirmed), row
        if row["ons_code"]:
            assert any("ONS codes" in what for what in confirmed), row


def test_force_area_codes_cite_the_ons_copies() -> None:
    """Every ONS code cites the ONS-derived copies; the Open Civic Data list covers exactly the PCC areas."""
    for row in _rows():
        if row["ons_code"]:
            keys = row["source"].split()
            assert "ons-pfa" in keys, row
            # the PCC areas are in the Open Civic Data list too; the three without a PCC are not
            no_pcc = {"metropolitan-police-service", "greater-manchester-police", "city-of-london-police"}
            assert ("ocd-pfa" in keys) == (row["id"] not in no_pcc), row
