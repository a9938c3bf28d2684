"""Reference data (the gazetteer): forces, bodies, posts, people, programmes …

Loaded from the CSV files in ``data/reference/``, which users edit; see the
README there for the columns. Pure data access: no matching logic here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
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
        """Entities of the given types, sorted by id."""
        for key in sorted(self.entities, key=lambda k: (k[0].value, k[1])):
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
    return gazetteer
