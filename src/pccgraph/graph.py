"""Stage 5: map the resolved corpus onto the ontology, into an Oxigraph store.

Deterministic by construction: IRIs come from content (slugs, offsets), never
from counters; there are no blank nodes, timestamps or absolute paths.

Each response's named graph is written into a :class:`QuadSink` (the ``g`` of the
fact code below: ``g.add((s, p, o))`` and ``(s, p, o) in g``), whose quads go
into a ``pyoxigraph.Store`` as soon as the response is done; an rdflib
``Dataset`` is made from the store only when asked for (small graphs, notebooks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .model import DocumentKind, Entity, EntityType, Extraction, Fact, Span
from .resolve import ORGANISATION_TYPES, Finding, Report, Resolved
from .vocab import (
    DCTERMS,
    FOAF,
    GRADES,
    ID,
    OA,
    ORG,
    OWL,
    PCC,
    PREFIXES,
    PROV,
    RDFS,
    SKOS,
    XSD,
    mint_iri,
    slugify,
)



class _Terms:
    """A namespace whose terms are made once each.

    rdflib makes (and checks) a new URIRef on every ``NS.term`` access; the graph
    code reads a few dozen terms hundreds of thousands of times.
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term  # type: ignore[no-any-return]


DCTERMS, FOAF, OA, ORG, OWL, PCC, PROV, RDF, RDFS, SKOS, XSD = (  # type: ignore[assignment]
    _Terms(ns) for ns in (DCTERMS, FOAF, OA, ORG, OWL, PCC, PROV, RDF, RDFS, SKOS, XSD)
)

REFERENCE_GRAPH = ID["graph/reference"]
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

CLASS_OF: dict[EntityType, URIRef] = {
    EntityType.FORCE: PCC.PoliceForce,
    EntityType.INSPECTORATE: PCC.Inspectorate,
    EntityType.ALLIANCE: PCC.Alliance,
    EntityType.PROGRAMME: PCC.Programme,
    EntityType.ORGANISATION: ORG.Organization,
    EntityType.UNIT: ORG.OrganizationalUnit,
    EntityType.POST: ORG.Post,
    EntityType.PERSON: FOAF.Person,
    EntityType.PLACE: PCC.Place,
    EntityType.LEGISLATION: PCC.Legislation,
    EntityType.TOPIC: PCC.Topic,
    EntityType.REPORT: PCC.InspectionReport,
}


def entity_iri(type_: EntityType | str, id_: str) -> URIRef:
    """``pccid:<type>/<id>``, e.g. ``pccid:force/west-mercia-police``."""
    return mint_iri(EntityType(type_).value, id_)


def letter_iri(letter_id: str) -> URIRef:
    """``pccid:letter/<letter id>``."""
    return mint_iri("letter", letter_id)


# kind -> (class, IRI segment) of a response
RESPONSE_KINDS: dict[DocumentKind, tuple[URIRef, str]] = {
    DocumentKind.LETTER: (PCC.Letter, "letter"),
    DocumentKind.STATEMENT: (PCC.Statement, "statement"),
    DocumentKind.FORM: (PCC.ResponseForm, "form"),
    DocumentKind.REPORT: (PCC.ReportDocument, "reportdoc"),  # a report read as a document, not a response
}


def response_iri(kind: DocumentKind, response_id: str) -> URIRef:
    """``pccid:letter/<id>``, ``pccid:statement/<id>`` or ``pccid:form/<id>``."""
    return mint_iri(RESPONSE_KINDS[kind][1], response_id)


def _date_literal(iso: str) -> Literal:
    if len(iso) == 10:
        return Literal(iso, datatype=XSD.date)
    if len(iso) == 7:
        return Literal(iso, datatype=XSD.gYearMonth)
    return Literal(iso, datatype=XSD.gYear)


def describe_entity(g: Graph, entity: Entity, known: dict[tuple[EntityType, str], Entity] | None = None) -> URIRef:
    """Add an entity's type, labels and reference attributes to ``g``.

    ``known`` (the resolved entities) tells what kind of body a post belongs to.
    """
    iri = entity_iri(entity.type, entity.id)
    g.add((iri, RDF.type, CLASS_OF[entity.type]))
    g.add((iri, RDFS.label, Literal(entity.label)))
    g.add((iri, SKOS.prefLabel, Literal(entity.label, lang="en")))
    for alias in entity.aliases:
        g.add((iri, SKOS.altLabel, Literal(alias, lang="en")))
    if entity.attr("description"):
        g.add((iri, SKOS.definition, Literal(entity.attr("description"), lang="en")))
    if entity.discovered:
        g.add((iri, PCC.discovered, Literal(True)))
    if entity.attr("wikidata"):
        g.add((iri, SKOS.exactMatch, WIKIDATA[entity.attr("wikidata")]))
    if entity.attr("ons_code"):
        # the force is an organisation, the area a geography: linked, not matched
        area = ONS_GEOGRAPHY[entity.attr("ons_code")]
        g.add((iri, PCC.policeForceArea, area))
        g.add((area, SKOS.notation, Literal(entity.attr("ons_code"))))
    t = entity.type
    if t is EntityType.PERSON:
        g.add((iri, FOAF.name, Literal(entity.label)))
        if entity.attr("holds"):
            post = entity_iri(EntityType.POST, entity.attr("holds"))
            g.add((iri, ORG.holds, post))
            g.add((post, ORG.heldBy, iri))
    elif t is EntityType.POST and entity.attr("organisation"):
        key = entity.attr("organisation")
        kinds = [k for k in ORGANISATION_TYPES if (k, key) in (known or {})] or [EntityType.FORCE]
        g.add((iri, ORG.postIn, entity_iri(kinds[0], key)))
    elif t is EntityType.FORCE and entity.attr("police_uk_id"):
        g.add((iri, PCC.policeUkId, Literal(entity.attr("police_uk_id"))))
        g.add((iri, RDFS.seeAlso, URIRef(f"https://data.police.uk/api/forces/{entity.attr('police_uk_id')}")))
    elif t is EntityType.ALLIANCE:
        for member in entity.attr("members").split("|"):
            if member.strip():
                force = entity_iri(EntityType.FORCE, member.strip())
                g.add((iri, ORG.hasMember, force))
                g.add((force, ORG.memberOf, iri))
    elif t is EntityType.UNIT and entity.attr("parent"):
        g.add((iri, ORG.unitOf, entity_iri(EntityType.FORCE, entity.attr("parent"))))
    elif t is EntityType.LEGISLATION and entity.attr("uri"):
        g.add((iri, OWL.sameAs, URIRef(entity.attr("uri"))))
    elif t is EntityType.REPORT:  # a report of the catalogue: national or thematic
        g.add((iri, DCTERMS.title, Literal(entity.label)))
        if re.fullmatch(r"\d{4}(?:-\d\d){0,2}", entity.attr("issued")):
            g.add((iri, DCTERMS.issued, _date_literal(entity.attr("issued"))))
        if entity.attr("kind"):
            g.add((iri, PCC.reportKind, Literal(entity.attr("kind"))))
        if entity.attr("programme"):
            g.add((iri, PCC.inspectionProgramme, Literal(entity.attr("programme"))))
        g.add((iri, PCC.scope, PCC.NationalScope))
    elif t is EntityType.TOPIC:
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.inScheme, PCC.TopicScheme))
        if entity.attr("broader"):
            g.add((iri, SKOS.broader, entity_iri(EntityType.TOPIC, entity.attr("broader"))))
    return iri


class _LetterGraph:
    """Writes one letter's named graph, with evidence for every fact."""

    def __init__(self, g: Graph, letter_id: str, extraction: Extraction) -> None:
        self.g = g
        self.id = letter_id
        self.iri = response_iri(extraction.letter.kind, letter_id)
        self.text = extraction.letter.text
        self.stated: set[URIRef] = set()  # finding-status nodes already given a status

    def annotate(self, span: Span, body: URIRef, supports: URIRef, rule: str, *, facet: str = "") -> URIRef:
        """A Web Annotation tying ``body`` to the exact text of ``span``.

        ``facet`` keeps apart an annotation of a span that already supports another fact.
        """
        g = self.g
        ann = mint_iri("annotation", f"{self.id}/{span.start}-{span.end}" + (f"/{facet}" if facet else ""))
        target = URIRef(f"{ann}/target")
        position = URIRef(f"{target}/position")
        quote = URIRef(f"{target}/quote")
        g.add((ann, RDF.type, OA.Annotation))
        g.add((ann, OA.hasBody, body))
        g.add((ann, OA.hasTarget, target))
        g.add((ann, PCC.supports, supports))
        g.add((ann, PCC.extractedBy, Literal(rule)))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.iri))
        g.add((target, OA.hasSelector, position))
        g.add((target, OA.hasSelector, quote))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(span.start)))
        g.add((position, OA.end, Literal(span.end)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(self.text[span.start : span.end])))
        return ann

    def fact_node(self, kind: str, f: Fact) -> URIRef:
        """``pccid:<kind>/<letter>/<start>-<end>``, plus the area when one span grades several."""
        key = f"{self.id}/{f.span.start}-{f.span.end}"
        if f.get("area"):
            key += "/" + slugify(f.get("area"), max_length=40)
        return mint_iri(kind, key)


def _describe_document(g: Graph, iri: URIRef, extraction: Extraction) -> None:
    """What every document read carries: its text, where it came from, and the problems met."""
    letter = extraction.letter
    raw = letter.raw
    source = mint_iri("source", slugify(raw.source, max_length=120))
    if raw.get("url"):
        g.add((iri, PCC.sourceUrl, Literal(raw.get("url"), datatype=XSD.anyURI)))
    g.add((iri, PCC.text, Literal(raw.text)))
    g.add((iri, PCC.sourceFile, Literal(raw.source)))
    g.add((iri, PCC.startLine, Literal(raw.start_line)))
    g.add((iri, PCC.endLine, Literal(raw.end_line)))
    g.add((iri, PCC.sha256, Literal(raw.sha256)))
    g.add((iri, PROV.wasDerivedFrom, source))
    g.add((source, RDF.type, PCC.SourceFile))
    g.add((source, PCC.sourceFile, Literal(raw.source)))
    for problem in (*letter.problems, *extraction.problems):
        g.add((iri, PCC.warning, Literal(str(problem))))


def _add_letter(g: Graph, letter_id: str, extraction: Extraction, resolved: Resolved) -> None:
    lg = _LetterGraph(g, letter_id, extraction)
    letter = extraction.letter
    iri = lg.iri
    kind_class, _ = RESPONSE_KINDS[letter.kind]
    g.add((iri, RDF.type, PCC.Response))
    g.add((iri, RDF.type, kind_class))
    _describe_document(g, iri, extraction)
    g.add((iri, PCC.bodyStart, Literal(letter.body.start)))
    g.add((iri, PCC.bodyEnd, Literal(letter.body.end)))
    titles = [f.get("title") for f in extraction.facts if f.kind == "responds_to"]
    g.add((iri, DCTERMS.title, Literal("; ".join(titles) if titles else f"{letter.kind.value.capitalize()} {letter_id}")))

    for f in extraction.facts:
        if f.kind == "date":
            g.add((iri, DCTERMS.date, _date_literal(f.get("iso"))))
            g.add((iri, PCC.datePrecision, Literal(f.get("precision"))))
            g.add((iri, PCC.dateSource, Literal(f.get("source") or "text")))
            if f.span.end > f.span.start:  # a date from page metadata has no place in the text
                lg.annotate(f.span, iri, DCTERMS.date, f.rule)
        elif f.kind == "deadline":
            g.add((iri, PCC.responseDeadline, _date_literal(f.get("iso"))))
            lg.annotate(f.span, iri, PCC.responseDeadline, f.rule, facet="deadline")
        elif f.kind == "date_text":
            g.add((iri, PCC.dateText, Literal(f.get("text"))))
            lg.annotate(f.span, iri, PCC.dateText, f.rule, facet="date-text")
        elif f.kind == "respondent_force":
            force = entity_iri(EntityType.FORCE, f.get("force"))
            g.add((iri, PCC.respondentForce, force))
            if f.span.end > f.span.start:  # none when read from the page's web address
                lg.annotate(f.span, force, PCC.respondentForce, f.rule, facet="respondent-force")
        elif f.kind in ("responds_to", "cites"):
            report = resolved.reports[resolved.report_id(f.get("report"))]
            r_iri = entity_iri(EntityType.REPORT, report.id)
            prop = PCC.respondsTo if f.kind == "responds_to" else PCC.cites
            if prop == PCC.cites and (iri, PCC.respondsTo, r_iri) in g:
                prop = PCC.mentions
            g.add((iri, prop, r_iri))  # the report itself is described once, in the reference graph
            if f.span.end > f.span.start:  # none for a title read from the page's address
                lg.annotate(f.span, r_iri, prop, f.rule)
        elif f.kind == "creator":
            person = entity_iri(EntityType.PERSON, f.get("person"))
            g.add((iri, DCTERMS.creator, person))
            if f.span.end > f.span.start:  # none when the page names its commissioner above all its responses
                lg.annotate(f.span, person, DCTERMS.creator, f.rule)
        elif f.kind == "addressed_to":
            person = entity_iri(EntityType.PERSON, f.get("person"))
            g.add((iri, PCC.addressedTo, person))
            lg.annotate(f.span, person, PCC.addressedTo, f.rule)
        elif f.kind == "addressed_to_post":
            post = entity_iri(EntityType.POST, f.get("post"))
            g.add((iri, PCC.addressedToPost, post))
            lg.annotate(f.span, post, PCC.addressedToPost, f.rule)
        elif f.kind == "copied_to":
            target = entity_iri(f.get("type"), f.get("id"))
            g.add((iri, PCC.copiedTo, target))
            lg.annotate(f.span, target, PCC.copiedTo, f.rule)
        elif f.kind == "holds":
            person = entity_iri(EntityType.PERSON, f.get("person"))
            post = entity_iri(EntityType.POST, f.get("post"))
            g.add((person, ORG.holds, post))
            g.add((post, ORG.heldBy, person))
            if f.span.end > f.span.start:
                lg.annotate(f.span, post, ORG.holds, f.rule)
        elif f.kind == "concerns_force":
            force = entity_iri(EntityType.FORCE, f.get("force"))
            g.add((iri, PCC.concernsForce, force))
        elif f.kind in ("finding", "finding_status"):
            _add_finding_fact(g, lg, f, resolved)
        else:
            _add_fact(g, lg, f)

    for m in extraction.mentions:
        if m.type is EntityType.REPORT:
            continue
        target = entity_iri(m.type, m.entity_id)
        g.add((iri, PCC.mentions, target))
        if letter.body.start <= m.span.start < letter.body.end:
            g.add((iri, PCC.mentionsInBody, target))
        lg.annotate(m.span, target, PCC.mentions, m.rule)
        if m.type is EntityType.TOPIC:
            g.add((iri, DCTERMS.subject, target))


FINDING_CLASSES: dict[str, URIRef] = {
    "recommendation": PCC.Recommendation,
    "area for improvement": PCC.AreaForImprovement,
    "cause of concern": PCC.CauseOfConcern,
}
STATUS_CONCEPTS: dict[str, URIRef] = {
    "accepted": PCC.StatusAccepted,
    "in-progress": PCC.StatusInProgress,
    "complete": PCC.StatusComplete,
    "partially": PCC.StatusPartially,
    "not-accepted": PCC.StatusNotAccepted,
    "superseded": PCC.StatusSuperseded,
}


def finding_iri(finding_id: str) -> URIRef:
    """``pccid:finding/<report id>/<kind>-<number>``."""
    return mint_iri("finding", finding_id)


def _describe_finding(g: Graph, finding: Finding) -> URIRef:
    node = finding_iri(finding.id)
    report = entity_iri(EntityType.REPORT, finding.report)
    g.add((node, RDF.type, FINDING_CLASSES[finding.kind]))
    g.add((node, RDFS.label, Literal(finding.label)))
    g.add((node, PCC.findingKind, Literal(finding.kind)))
    for written in finding.labels:
        if written != finding.label:
            g.add((node, SKOS.altLabel, Literal(written, lang="en")))
    if finding.number:
        g.add((node, PCC.findingNumber, Literal(int(finding.number))))
    if finding.text:
        g.add((node, PCC.text, Literal(finding.text)))
    if finding.due:
        g.add((node, PCC.dueBy, _date_literal(finding.due)))
    if finding.due_text:
        g.add((node, PCC.dueText, Literal(finding.due_text)))
    if finding.addressee:
        g.add((node, PCC.appliesTo, Literal(finding.addressee)))
    for typed in finding.addressee_ids:
        type_, _, key = typed.partition(":")
        g.add((node, PCC.findingAddressedTo, entity_iri(type_, key)))
    g.add((node, PCC.findingOf, report))
    g.add((report, PCC.hasFinding, node))
    return node


def _add_finding_fact(g: Graph, lg: _LetterGraph, f: Fact, resolved: Resolved) -> None:
    """A finding stated (report) or quoted (response), and a response's stated status."""
    report_id = resolved.report_id(f.get("report"))
    if f.kind == "finding":
        finding_id = resolved.finding_id(report_id, f.get("finding_kind"), f.get("number"), f.get("text"))
        if not finding_id:
            return
        node = finding_iri(finding_id)  # described once, in the reference graph
        if f.get("source") == "report":
            ann = lg.annotate(f.span, node, PCC.hasFinding, f.rule, facet="finding")
        else:
            g.add((lg.iri, PCC.quotesFinding, node))
            ann = lg.annotate(f.span, node, PCC.quotesFinding, f.rule, facet="finding")
        g.add((node, PCC.evidence, ann))
        if f.get("page"):  # read from a PDF: the page the finding stands on
            g.add((ann, PCC.page, Literal(int(f.get("page")))))
        return
    # finding_status: one node per response and finding (or per response, report and kind)
    if f.get("scope") == "all":
        key = f"{lg.id}/{slugify(report_id, max_length=60)}-all-{slugify(f.get('finding_kind'))}"
        target = entity_iri(EntityType.REPORT, report_id)
    else:
        finding_id = resolved.finding_id(report_id, f.get("finding_kind"), f.get("number"))
        if not finding_id:
            return
        key = f"{lg.id}/{slugify(finding_id, max_length=120)}"
        target = finding_iri(finding_id)
    node = mint_iri("finding-status", key)
    g.add((node, RDF.type, PCC.FindingResponse))
    g.add((lg.iri, PCC.addresses, node))
    g.add((node, PCC.respondent, lg.iri))
    if f.get("scope") == "all":
        g.add((node, PCC.aboutReport, target))
        g.add((node, PCC.findingKind, Literal(f.get("finding_kind"))))
        g.add((node, PCC.coversAll, Literal(True)))
    else:
        g.add((node, PCC.aboutFinding, target))
    if node not in lg.stated:  # the first status a response states for a finding holds
        lg.stated.add(node)
        g.add((node, PCC.status, STATUS_CONCEPTS[f.get("status")]))
        g.add((node, PCC.text, Literal(lg.text[f.span.start : f.span.end])))
    g.add((node, PROV.wasDerivedFrom, lg.iri))
    ann = lg.annotate(f.span, node, PCC.status, f.rule, facet="status")
    g.add((node, PCC.evidence, ann))
    if f.get("page"):
        g.add((ann, PCC.page, Literal(int(f.get("page")))))


def _add_report_document(g: Graph, doc_id: str, extraction: Extraction, resolved: Resolved) -> None:
    """An inspection report read as a document: its text, its findings and grades as facts
    of the report node, with evidence in the report's own text."""
    lg = _LetterGraph(g, doc_id, extraction)
    iri = lg.iri
    g.add((iri, RDF.type, PCC.ReportDocument))
    _describe_document(g, iri, extraction)
    for f in extraction.facts:
        if f.kind == "responds_to":
            report = resolved.reports[resolved.report_id(f.get("report"))]
            r_iri = entity_iri(EntityType.REPORT, report.id)
            g.add((iri, PCC.documentOf, r_iri))
            g.add((iri, DCTERMS.title, Literal(report.title)))
            lg.annotate(f.span, r_iri, DCTERMS.title, f.rule)
        elif f.kind == "date":
            report_ids = [resolved.report_id(x.get("report")) for x in extraction.facts if x.kind == "responds_to"]
            for report_id in report_ids:
                r_iri = entity_iri(EntityType.REPORT, report_id)
                g.add((r_iri, DCTERMS.issued, _date_literal(f.get("iso"))))
                if f.span.end > f.span.start:
                    lg.annotate(f.span, r_iri, DCTERMS.issued, f.rule)
        elif f.kind in ("finding", "finding_status"):
            _add_finding_fact(g, lg, f, resolved)
        elif f.kind in ("judgement", "tally"):
            _add_fact(g, lg, f)
    for m in extraction.mentions:
        if m.type is EntityType.REPORT:
            continue
        target = entity_iri(m.type, m.entity_id)
        g.add((iri, PCC.mentions, target))
        lg.annotate(m.span, target, PCC.mentions, m.rule)


def _add_fact(g: Graph, lg: _LetterGraph, f: Fact) -> None:
    """Facts from the body (judgements, tallies, commitments, amounts, statistics)."""
    iri = lg.iri
    if f.kind == "judgement":
        node = lg.fact_node("judgement", f)
        g.add((node, RDF.type, PCC.Judgement))
        g.add((node, PCC.grade, GRADES[f.get("grade")]))
        if f.get("area"):
            g.add((node, PCC.area, Literal(f.get("area"))))
        if f.get("force"):
            g.add((node, PCC.judgedForce, entity_iri(EntityType.FORCE, f.get("force"))))
        link = PCC.hasJudgement
        if f.get("period"):  # an earlier inspection's grade: recalled by the response, not the report's
            link = PCC.recallsJudgement
            g.add((node, PCC.period, Literal(f.get("period"))))
            g.add((iri, PCC.recallsJudgement, node))
        elif f.get("report"):
            g.add((entity_iri(EntityType.REPORT, f.get("report")), PCC.hasJudgement, node))
        g.add((node, PROV.wasDerivedFrom, iri))
        g.add((node, PCC.evidence, lg.annotate(f.span, node, link, f.rule)))
    elif f.kind == "tally":
        node = lg.fact_node("tally", f)
        g.add((node, RDF.type, PCC.RecommendationTally))
        g.add((node, PCC.numberOfRecommendations, Literal(int(f.get("count")))))
        g.add((node, PCC.tallyKind, Literal(f.get("tally_kind"))))
        if f.get("applies_to"):
            g.add((node, PCC.appliesTo, Literal(f.get("applies_to"))))
        if f.get("completed"):
            g.add((node, PCC.numberCompleted, Literal(int(f.get("completed")))))
        if f.get("report"):
            g.add((entity_iri(EntityType.REPORT, f.get("report")), PCC.hasRecommendationTally, node))
        g.add((node, PROV.wasDerivedFrom, iri))
        g.add((node, PCC.evidence, lg.annotate(f.span, node, PCC.hasRecommendationTally, f.rule)))
    elif f.kind == "commitment":
        node = lg.fact_node("commitment", f)
        g.add((node, RDF.type, PCC.Commitment))
        g.add((node, PCC.text, Literal(lg.text[f.span.start : f.span.end])))
        if f.get("due"):
            g.add((node, PCC.dueBy, _date_literal(f.get("due"))))
        g.add((iri, PCC.makesCommitment, node))
        g.add((node, PROV.wasDerivedFrom, iri))
        g.add((node, PCC.evidence, lg.annotate(f.span, node, PCC.makesCommitment, f.rule)))
    elif f.kind == "money":
        node = lg.fact_node("amount", f)
        g.add((node, RDF.type, PCC.MoneyAmount))
        g.add((node, PCC.amount, Literal(f.get("amount"), datatype=XSD.decimal)))
        g.add((node, RDFS.label, Literal(lg.text[f.span.start : f.span.end])))
        g.add((iri, PCC.statesAmount, node))
        g.add((node, PCC.evidence, lg.annotate(f.span, node, PCC.statesAmount, f.rule)))
    elif f.kind == "statistic":
        node = lg.fact_node("statistic", f)
        g.add((node, RDF.type, PCC.Statistic))
        if f.get("percentage"):
            g.add((node, PCC.percentage, Literal(f.get("percentage"), datatype=XSD.decimal)))
        if f.get("numerator"):
            g.add((node, PCC.numerator, Literal(int(f.get("numerator")))))
            g.add((node, PCC.denominator, Literal(int(f.get("denominator")))))
        g.add((node, RDFS.label, Literal(lg.text[f.span.start : f.span.end])))
        g.add((iri, PCC.statesStatistic, node))
        g.add((node, PCC.evidence, lg.annotate(f.span, node, PCC.statesStatistic, f.rule)))


def _describe_report(g: Graph, report: Report) -> None:
    iri = entity_iri(EntityType.REPORT, report.id)
    g.add((iri, RDF.type, PCC.InspectionReport))
    g.add((iri, DCTERMS.title, Literal(report.title)))
    g.add((iri, RDFS.label, Literal(report.title)))
    if report.issued:
        g.add((iri, DCTERMS.issued, _date_literal(report.issued)))
    for force in report.inspects:
        g.add((iri, PCC.inspects, entity_iri(EntityType.FORCE, force)))
    for publisher in report.publishers:
        g.add((iri, DCTERMS.publisher, entity_iri(EntityType.INSPECTORATE, publisher)))
    if report.scope == "force":
        g.add((iri, PCC.scope, PCC.ForceScope))
    elif report.scope == "national":
        g.add((iri, PCC.scope, PCC.NationalScope))
    for prop, value in ((PCC.reportKind, report.kind), (PCC.inspectionProgramme, report.programme),
                        (PCC.pillar, report.pillar), (PCC.inspectionPeriod, report.period)):
        if value:
            g.add((iri, prop, Literal(value)))
    if report.catalogue_title and report.catalogue_title != report.title:
        g.add((iri, SKOS.altLabel, Literal(report.catalogue_title, lang="en")))


class QuadSink:
    """One named graph being written: rdflib terms in, N-Triples lines out.

    It offers what the graph code uses of an rdflib Graph (``add`` and ``in``)
    and keeps the triples once each, in the order first added, as the lines
    Oxigraph's N-Triples serialiser writes for them (compared, hashed and sorted
    as plain strings; :attr:`quads` parses them when quads are wanted).
    """

    __slots__ = ("graph", "lines", "_seen")

    def __init__(self, graph: URIRef | str) -> None:
        self.graph = ox.NamedNode(str(graph))
        self.lines: list[str] = []
        self._seen: set[str] = set()

    def add(self, triple: tuple[Node, Node, Node]) -> QuadSink:
        s, p, o = triple
        line = f"{_iri_text(s)} {_iri_text(p)} {_object_text(o)} ."
        if line not in self._seen:
            self._seen.add(line)
            self.lines.append(line)
        return self

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        s, p, o = triple
        return f"{_iri_text(s)} {_iri_text(p)} {_object_text(o)} ." in self._seen

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> str:
        """The graph as N-Triples text, in the order the triples were added."""
        return "\n".join(self.lines) + "\n" if self.lines else ""

    def load_into(self, store: ox.Store) -> None:
        """Add the graph to ``store`` (parsed in Rust from its lines)."""
        if self.lines:
            store.load(self.ntriples().encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=self.graph)

    @property
    def quads(self) -> list[ox.Quad]:
        """The graph's quads (parsed from its lines)."""
        triples = ox.parse(self.ntriples().encode("utf-8"), format=ox.RdfFormat.N_TRIPLES) if self.lines else ()
        return [ox.Quad(t.subject, t.predicate, t.object, self.graph) for t in triples]


_IRIS: dict[str, str] = {}  # IRI (a plain str) -> "<IRI>", checked by Oxigraph once (classes, predicates, entities)
_as_str = str.__str__  # a URIRef's text as a plain str: compared in C, not by rdflib's __eq__
_XSD_STRING = str(XSD.string)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
_RARE = (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)  # control characters other than tab, LF, CR
_ESCAPE_TABLE = {c: _ESCAPES.get(c, f"\\u{c:04X}") for c in _RARE}
_RARE_ESCAPE = re.compile("[" + "".join(f"\\x{c:02x}" for c in _RARE) + "]")


def _iri_text(node: Node) -> str:
    """``<iri>`` for an rdflib IRI; Oxigraph checks each new IRI once (it raises on a bad one)."""
    if type(node) is not URIRef:
        if not isinstance(node, URIRef):
            raise TypeError(f"only IRIs may be subjects or predicates here, not {node!r}")
    key = _as_str(node)
    found = _IRIS.get(key)
    if found is None:
        if len(_IRIS) > 200_000:
            _IRIS.clear()
        found = _IRIS[key] = str(ox.NamedNode(key))
    return found


def quoted(value: str) -> str:
    """A string as an N-Triples string, escaped exactly as Oxigraph escapes it."""
    if _NEEDS_ESCAPE.search(value):
        value = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
                 .replace("\t", "\\t"))  # the common ones in C, fast on a long text
        if _RARE_ESCAPE.search(value):
            value = value.translate(_ESCAPE_TABLE)
    return f'"{value}"'


def _object_text(node: Node) -> str:
    if type(node) is URIRef:
        return _iri_text(node)
    if isinstance(node, Literal):
        text = quoted(_as_str(node))
        if node.language:
            return f"{text}@{node.language.lower()}"  # as Oxigraph writes a language tag
        datatype = node.datatype
        if datatype is not None and _as_str(datatype) != _XSD_STRING:
            return f"{text}^^{_iri_text(datatype)}"
        return text
    return _iri_text(node)


def bind_prefixes(g: Graph) -> None:
    """Bind every prefix of the contract explicitly (rdflib's defaults differ)."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


def _reference_sink(resolved: Resolved) -> QuadSink:
    """The reference graph: every entity, and each report and finding once across the archive."""
    ref = QuadSink(REFERENCE_GRAPH)
    for key in sorted(resolved.entities, key=lambda k: (k[0].value, k[1])):
        describe_entity(ref, resolved.entities[key], resolved.entities)  # type: ignore[arg-type]
    for report_id in sorted(resolved.reports):  # each report once, however many responses name it
        _describe_report(ref, resolved.reports[report_id])  # type: ignore[arg-type]
    for finding_id in sorted(resolved.findings):
        _describe_finding(ref, resolved.findings[finding_id])  # type: ignore[arg-type]
    # the catalogue's reports no response names (those named are described by the responses)
    for report_id in sorted(resolved.catalogue):
        if report_id not in resolved.reports and report_id not in resolved.report_alias:
            describe_entity(ref, resolved.catalogue[report_id])  # type: ignore[arg-type]
    return ref


def _response_sink(letter_id: str, extraction: Extraction, resolved: Resolved) -> QuadSink:
    """One response's named graph (or an inspection report read as a document)."""
    sink = QuadSink(response_iri(extraction.letter.kind, letter_id))
    if extraction.letter.kind is DocumentKind.REPORT:
        _add_report_document(sink, letter_id, extraction, resolved)  # type: ignore[arg-type]
    else:
        _add_letter(sink, letter_id, extraction, resolved)  # type: ignore[arg-type]
    return sink


def iter_response_graphs(resolved: Resolved) -> Iterable[QuadSink]:
    """The corpus graph by graph: the reference graph, then one graph per response."""
    yield _reference_sink(resolved)
    for letter_id, extraction in zip(resolved.letter_ids, resolved.extractions, strict=True):
        yield _response_sink(letter_id, extraction, resolved)


def build_store(resolved: Resolved, store: ox.Store | None = None) -> ox.Store:
    """Write the corpus into ``store`` (a new in-memory store by default), graph by graph.

    A build renders, checks and caches the graphs instead (``render``); this is for
    a notebook that has a resolved corpus and wants it queryable.
    """
    store = ox.Store() if store is None else store
    for sink in iter_response_graphs(resolved):
        sink.load_into(store)
    return store


def dataset_from_store(store: ox.Store) -> Dataset:
    """An rdflib Dataset (union default graph) with the store's named graphs: for small graphs."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    if data:
        ds.parse(data=data.decode("utf-8"), format="nquads")
    return ds


def union_graph(ds: Dataset) -> Graph:
    """All triples of all named graphs in one Graph."""
    g = Graph()
    bind_prefixes(g)
    for graph in ds.graphs():
        for triple in graph:
            g.add(triple)
    return g
