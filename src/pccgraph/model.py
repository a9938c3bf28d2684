"""Frozen values passed between the pipeline stages. No I/O and no rdflib here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open ``[start, end)`` character range into a letter's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def slice(self, text: str) -> str:
        """The text this span covers."""
        return text[self.start : self.end]


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """Something a user should hear about, located by file and line."""

    file: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded input file; ``text`` has ``\\n`` newlines and is never changed again."""

    path: str  # POSIX path relative to the corpus root (never absolute)
    text: str
    encoding: str
    sha256: str  # of the raw bytes
    # What a saved web page says of itself (trafilatura): ("title"|"date"|"author"|"url"|
    # "hostname"|"sitename", value) pairs, sorted. Empty for plain text.
    meta: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str:
        """One metadata value, or ''."""
        return dict(self.meta).get(key, "")


@dataclass(frozen=True, slots=True)
class RawLetter:
    """A letter as cut out of a document: its text is an exact slice of the document."""

    source: str  # Document.path
    index: int  # position within the document, from 0
    text: str
    offset: int  # character offset of text within Document.text
    start_line: int  # 1-based, first non-blank line
    end_line: int  # 1-based, last non-blank line
    sha256: str  # of text (UTF-8)
    meta: tuple[tuple[str, str], ...] = ()  # the document's page metadata (Document.meta)

    def get(self, key: str) -> str:
        """One metadata value of the document it came from, or ''."""
        return dict(self.meta).get(key, "")


class DocumentKind(StrEnum):
    """What kind of published response a document is; each maps to one ontology class."""

    LETTER = "letter"  # pcc:Letter: a letter to the Home Secretary / HM Chief Inspector
    STATEMENT = "statement"  # pcc:Statement: press release, news item, web statement
    FORM = "response form"  # pcc:ResponseForm: a s.55 template with labelled fields
    REPORT = "inspection report"  # the inspection report itself (pcc:ReportDocument of a pcc:InspectionReport)


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class LetterDate:
    """An ISO date (``YYYY-MM-DD`` or ``YYYY-MM``) and where it is written."""

    iso: str
    precision: DatePrecision
    span: Span


@dataclass(frozen=True, slots=True)
class TitleRef:
    """A report title from a subject line, with hints found around it."""

    title: str
    span: Span  # exact title text, without prefixes or quotes
    line_span: Span  # the whole subject line
    issued: str | None = None  # "YYYY" or "YYYY-MM" from a trailing "(November 2014)"
    inspects_hint: str | None = None  # "West Mercia Police" from "– An inspection of …"
    rule: str = "subject-line"  # the rule that found it (a statement's headline, a description …)
    described: bool = False  # a description ("the HMICFRS legitimacy report"), not a title as written


@dataclass(frozen=True, slots=True)
class NameRef:
    """A name (person, post or body) as written in the header, with its span."""

    text: str
    span: Span
    role_text: str | None = None  # "HMI", "Police and Crime Commissioner", …


@dataclass(frozen=True, slots=True)
class ParsedLetter:
    """A letter with its header understood."""

    raw: RawLetter
    date: LetterDate | None
    salutation: NameRef | None
    addressee: NameRef | None
    copied_to: tuple[NameRef, ...]
    titles: tuple[TitleRef, ...]
    signatory: NameRef | None
    signatory_titles: tuple[NameRef, ...]
    body: Span
    problems: tuple[Problem, ...] = ()
    kind: DocumentKind = DocumentKind.LETTER
    date_source: str = "text"  # "text", "labelled field" or "page metadata"
    deadline: LetterDate | None = None  # a form's "Deadline for Response:"
    partial_date: Span | None = None  # a date written without a year, kept as text
    office: NameRef | None = None  # the publishing office or area ("Response from: …")

    @property
    def text(self) -> str:
        return self.raw.text


class EntityType(StrEnum):
    """Kinds of entity; each maps to one ontology class."""

    FORCE = "force"
    INSPECTORATE = "inspectorate"
    ALLIANCE = "alliance"
    PROGRAMME = "programme"
    ORGANISATION = "organisation"
    UNIT = "unit"
    POST = "post"
    PERSON = "person"
    PLACE = "place"
    LEGISLATION = "legislation"
    TOPIC = "topic"
    REPORT = "report"


@dataclass(frozen=True, slots=True, order=True)
class Mention:
    """A span of a letter that names an entity."""

    span: Span
    type: EntityType
    entity_id: str
    text: str
    rule: str
    discovered: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity with a stable id (the IRI key)."""

    type: EntityType
    id: str
    label: str
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    discovered: bool = False

    def attr(self, key: str) -> str:
        """The value of one attribute, or ''."""
        return dict(self.attrs).get(key, "")


@dataclass(frozen=True, slots=True)
class Fact:
    """A typed fact extracted from a letter, with the span that supports it.

    ``kind`` is one of judgement, tally, commitment, money, statistic, citation, post.
    ``values`` holds the fact's fields as sorted (key, value) pairs.
    """

    kind: str
    span: Span
    values: tuple[tuple[str, str], ...]
    rule: str

    def get(self, key: str, default: str = "") -> str:
        """The value of one field, or ``default``."""
        return dict(self.values).get(key, default)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything found in one letter, before resolution across letters."""

    letter: ParsedLetter
    mentions: tuple[Mention, ...] = ()
    facts: tuple[Fact, ...] = ()
    entities: tuple[Entity, ...] = field(default=())  # discovered entities only
    problems: tuple[Problem, ...] = ()  # met while extracting (e.g. a letter too long to read)
