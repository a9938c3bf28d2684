"""Reference data (the gazetteer): forces, bodies, posts, people, programmes …

Loaded from the CSV files in ``data/reference/``, which users edit; see the
README there for the columns. Pure data access: no matching logic here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReferenceDataError
from .model import Entity, EntityType

# file name -> (entity type, extra columns kept as attributes, alias column)
TABLES: dict[str, tuple[EntityType | None, tuple[str, ...], str]] = {
    "forces.csv": (EntityType.FORCE, ("police_uk_id", "description"), "aliases"),
    "inspectorates.csv": (EntityType.INSPECTORATE, ("description",), "aliases"),
    "alliances.csv": (EntityType.ALLIANCE, ("members", "description"), "aliases"),
    "programmes.csv": (EntityType.PROGRAMME, ("kind", "description"), "aliases"),
    # organisations.csv: kind "unit" -> UNIT, anything else -> ORGANISATION
    "organisations.csv": (None, ("kind", "parent", "description"), "aliases"),
    "posts.csv": (EntityType.POST, ("kind", "organisation", "description"), "aliases"),
    "people.csv": (EntityType.PERSON, ("holds", "description"), "aliases"),
    "places.csv": (EntityType.PLACE, ("kind", "description"), "aliases"),
    "legislation.csv": (EntityType.LEGISLATION, ("uri", "description"), "aliases"),
    "topics.csv": (EntityType.TOPIC, ("broader", "description"), "alt_labels"),
    # the commissioners' offices, with their force and web domains (kind opcc/opfcc/mayor)
    "offices.csv": (None, ("kind", "force", "domains", "description"), "aliases"),
    # HMIC/HMICFRS national and thematic reports: the report catalogue
    "reports.csv": (EntityType.REPORT, ("issued", "kind", "programme", "publisher", "description"), "aliases"),
}


def normalise(text: str) -> str:
    """Fold case, quotes, dashes, hyphens and spacing so that variants compare equal."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"['’‘`]", "'", text)
    text = re.sub(r"[-‐‑–—]", " ", text)
    text = re.sub(r"[^\w'&. ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True, slots=True)
class PeelRound:
    """One round of PEEL inspections: its period, pillar (empty when integrated) and when
    its force reports were published."""

    label: str
    period: str
    pillar: str
    first_published: str
    last_published: str


@dataclass(slots=True)
class Gazetteer:
    """Every reference entity, indexed by ``(type, id)`` and by normalised name."""

    entities: dict[tuple[EntityType, str], Entity] = field(default_factory=dict)
    by_name: dict[str, list[Entity]] = field(default_factory=dict)
    # PEEL rounds (peel_rounds.csv): which round a response's date falls in
    peel_rounds: tuple[PeelRound, ...] = ()
    # the report catalogue's titles and aliases (12 characters or more), normalised: for fuzzy matching
    report_names: dict[str, Entity] = field(default_factory=dict)
    _order: list[tuple[EntityType, str]] | None = field(default=None, repr=False, compare=False)  # of_type's order

    def add(self, entity: Entity) -> None:
        """Add one entity; ``ReferenceDataError`` on a clashing id."""
        key = (entity.type, entity.id)
        if key in self.entities:
            raise ReferenceDataError(f"duplicate {entity.type.value} id {entity.id!r}")
        self.entities[key] = entity
        for name in (entity.label, *entity.aliases):
            bucket = self.by_name.setdefault(normalise(name), [])
            if entity not in bucket:
                bucket.append(entity)
            if entity.type is EntityType.REPORT and len(name) >= 12:
                self.report_names.setdefault(normalise(name), entity)

    def replace(self, entity: Entity) -> None:
        """Put ``entity`` in place of the entity with its type and id (same names)."""
        key = (entity.type, entity.id)
        old = self.entities[key]
        self.entities[key] = entity
        for bucket in self.by_name.values():
            for i, candidate in enumerate(bucket):
                if candidate is old:
                    bucket[i] = entity
        for name, candidate in self.report_names.items():
            if candidate is old:
                self.report_names[name] = entity

    def get(self, type_: EntityType, id_: str) -> Entity | None:
        """The entity with this type and id, if any."""
        return self.entities.get((type_, id_))

    def lookup(self, name: str, *types: EntityType) -> Entity | None:
        """The entity whose label or alias equals ``name`` (after normalising)."""
        for entity in self.by_name.get(normalise(name), []):
            if not types or entity.type in types:
                return entity
        return None

    def of_type(self, *types: EntityType) -> Iterator[Entity]:
        """Entities of the given types, sorted by type, then id."""
        if self._order is None or len(self._order) != len(self.entities):
            self._order = sorted(self.entities, key=lambda k: (k[0].value, k[1]))
        for key in self._order:
            if key[0] in types:
                yield self.entities[key]

    def __len__(self) -> int:
        return len(self.entities)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def load_gazetteer(folder: Path | str) -> Gazetteer:
    """Load every known CSV table in ``folder``.

    Raises:
        ReferenceDataError: a table lacks a required column or repeats an id;
            the message names the file and line.
    """
    folder = Path(folder)
    gazetteer = Gazetteer()
    if not folder.is_dir():
        raise ReferenceDataError(f"{folder}: reference data folder not found")
    for name, (type_, extra, alias_column) in TABLES.items():
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"id", "label"} - set(reader.fieldnames or ())
            if missing:
                raise ReferenceDataError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            for row in reader:
                line = reader.line_num
                id_ = (row.get("id") or "").strip()
                label = (row.get("label") or "").strip()
                if not id_ or not label:
                    raise ReferenceDataError(f"{path}:{line}: a row needs both id and label")
                if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", id_):
                    raise ReferenceDataError(f"{path}:{line}: id {id_!r} is not a lowercase slug")
                kind = (row.get("kind") or "").strip()
                etype = type_ or (EntityType.UNIT if kind == "unit" else EntityType.ORGANISATION)
                attrs = tuple(sorted((k, (row.get(k) or "").strip()) for k in extra if row.get(k)))
                try:
                    gazetteer.add(
                        Entity(etype, id_, label, _split(row.get(alias_column)), attrs)
                    )
                except ReferenceDataError as exc:
                    raise ReferenceDataError(f"{path}:{line}: {exc}") from None
    rounds = folder / "peel_rounds.csv"
    if rounds.exists():
        with rounds.open(encoding="utf-8", newline="") as handle:
            gazetteer.peel_rounds = tuple(
                PeelRound(row["label"], row["period"], row.get("pillar") or "", row["first_published"], row["last_published"])
                for row in csv.DictReader(handle)
            )
    identifiers = folder / IDENTIFIERS_FILE
    if identifiers.exists():
        attach_identifiers(gazetteer, identifiers)
    return gazetteer


# identifiers.csv: external identifiers of entities named in the other tables.
IDENTIFIERS_FILE = "identifiers.csv"
# ``type`` column -> the entity types a row's ``id`` may name (tried in order)
IDENTIFIER_TYPES: dict[str, tuple[EntityType, ...]] = {
    "force": (EntityType.FORCE,),
    "inspectorate": (EntityType.INSPECTORATE,),
    "organisation": (EntityType.ORGANISATION, EntityType.UNIT),
    "person": (EntityType.PERSON,),
    # an office someone holds (posts.csv), or a commissioner's office (offices.csv)
    "office": (EntityType.POST, EntityType.ORGANISATION),
}
# identifier column -> the form its values take, and the row types that may carry it
IDENTIFIER_FORMS: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {
    "wikidata": (re.compile(r"Q[1-9]\d*"), frozenset(IDENTIFIER_TYPES)),
    # the ONS code of a force's police force area (England E23, Wales W15)
    "ons_code": (re.compile(r"E23\d{6}|W15\d{6}"), frozenset({"force"})),
}


def attach_identifiers(gazetteer: Gazetteer, path: Path) -> None:
    """Add the ``wikidata`` / ``ons_code`` attributes that ``path`` gives to its entities.

    Raises:
        ReferenceDataError: with file and line, for an unknown type or entity, a value
            of the wrong form, an entity listed twice, or one value given to two entities.
    """
    seen_values: dict[tuple[str, str], int] = {}
    seen_entities: dict[tuple[EntityType, str], int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"type", "id", *IDENTIFIER_FORMS} - set(reader.fieldnames or ())
        if missing:
            raise ReferenceDataError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            line = reader.line_num
            kind = (row.get("type") or "").strip()
            id_ = (row.get("id") or "").strip()
            if kind not in IDENTIFIER_TYPES:
                known = ", ".join(IDENTIFIER_TYPES)
                raise ReferenceDataError(f"{path}:{line}: unknown type {kind!r} (one of {known})")
            entity = next(
                (e for t in IDENTIFIER_TYPES[kind] if (e := gazetteer.get(t, id_)) is not None), None
            )
            if entity is None:
                raise ReferenceDataError(f"{path}:{line}: no {kind} with id {id_!r} in the reference data")
            key = (entity.type, entity.id)
            if key in seen_entities:
                raise ReferenceDataError(
                    f"{path}:{line}: {kind} {id_!r} is already listed on line {seen_entities[key]}"
                )
            seen_entities[key] = line
            found: list[tuple[str, str]] = []
            for column, (form, kinds) in IDENTIFIER_FORMS.items():
                value = (row.get(column) or "").strip()
                if not value:
                    continue
                where = f"{path}:{line}: {column}"
                if kind not in kinds:
                    raise ReferenceDataError(f"{where} is only for {', '.join(sorted(kinds))} rows, not {kind}")
                if not form.fullmatch(value):
                    raise ReferenceDataError(f"{where} {value!r} is not of the form {form.pattern}")
                if (column, value) in seen_values:
                    earlier = seen_values[column, value]
                    raise ReferenceDataError(f"{where} {value} is already given on line {earlier}")
                seen_values[column, value] = line
                found.append((column, value))
            if found:
                attrs = tuple(sorted((*entity.attrs, *found)))
                gazetteer.replace(dataclasses.replace(entity, attrs=attrs))
