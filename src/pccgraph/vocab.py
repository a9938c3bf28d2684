"""The ontology's terms in code, namespaces, and deterministic IRI minting."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = URIRef("https://w3id.org/pccgraph/ontology")
ID = Namespace("https://w3id.org/pccgraph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
SCHEMA = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")


class PCC(DefinedNamespace):
    """Terms of ``ontology/pccgraph.ttl``; a typo raises instead of minting a new IRI."""

    _fail = True
    _NS = Namespace("https://w3id.org/pccgraph/ontology#")

    # classes
    Adequate: URIRef
    Alliance: URIRef
    AreaForImprovement: URIRef
    CauseOfConcern: URIRef
    Commitment: URIRef
    FindingResponse: URIRef
    FindingStatus: URIRef
    FindingStatusScheme: URIRef
    ForceScope: URIRef
    Good: URIRef
    Grade: URIRef
    GradeScheme: URIRef
    Inadequate: URIRef
    InspectionFinding: URIRef
    InspectionReport: URIRef
    Inspectorate: URIRef
    Judgement: URIRef
    Legislation: URIRef
    Letter: URIRef
    MoneyAmount: URIRef
    NationalScope: URIRef
    Outstanding: URIRef
    Place: URIRef
    PoliceForce: URIRef
    Programme: URIRef
    Recommendation: URIRef
    RecommendationTally: URIRef
    ReportDocument: URIRef
    RequiresImprovement: URIRef
    Response: URIRef
    ResponseForm: URIRef
    Scope: URIRef
    SourceFile: URIRef
    Statement: URIRef
    Statistic: URIRef
    StatusAccepted: URIRef
    StatusComplete: URIRef
    StatusInProgress: URIRef
    StatusNotAccepted: URIRef
    StatusPartially: URIRef
    StatusSuperseded: URIRef
    Topic: URIRef
    TopicScheme: URIRef
    # properties

    aboutFinding: URIRef
    aboutReport: URIRef
    addressedTo: URIRef
    addressedToPost: URIRef
    addresses: URIRef
    amount: URIRef
    appliesTo: URIRef
    area: URIRef
    bodyEnd: URIRef
    bodyStart: URIRef
    cites: URIRef
    concernsForce: URIRef
    copiedTo: URIRef
    coversAll: URIRef
    datePrecision: URIRef
    dateSource: URIRef
    dateText: URIRef
    denominator: URIRef
    discovered: URIRef
    documentOf: URIRef
    dueBy: URIRef
    dueText: URIRef
    endLine: URIRef
    evidence: URIRef
    extractedBy: URIRef
    findingAddressedTo: URIRef
    findingKind: URIRef
    findingNumber: URIRef
    findingOf: URIRef
    grade: URIRef
    hasFinding: URIRef
    hasJudgement: URIRef
    hasRecommendationTally: URIRef
    inspectionPeriod: URIRef
    inspectionProgramme: URIRef
    inspects: URIRef
    isMentionedIn: URIRef
    isRespondedToBy: URIRef
    judgedForce: URIRef
    makesCommitment: URIRef
    mentions: URIRef
    mentionsInBody: URIRef
    numberCompleted: URIRef
    numberOfRecommendations: URIRef
    numerator: URIRef
    page: URIRef
    percentage: URIRef
    period: URIRef
    pillar: URIRef
    policeForceArea: URIRef
    policeUkId: URIRef
    quotesFinding: URIRef
    recallsJudgement: URIRef
    reportKind: URIRef
    respondent: URIRef
    respondentForce: URIRef
    respondsTo: URIRef
    responseDeadline: URIRef
    scope: URIRef
    sha256: URIRef
    sourceFile: URIRef
    sourceUrl: URIRef
    startLine: URIRef
    statesAmount: URIRef
    statesStatistic: URIRef
    status: URIRef
    supports: URIRef
    tallyKind: URIRef
    text: URIRef
    warning: URIRef

PREFIXES: dict[str, Namespace] = {
    "pcc": Namespace(str(PCC._NS)),
    "pccid": ID,
    "org": ORG,
    "foaf": FOAF,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "fabio": FABIO,
    "cito": CITO,
    "schema": SCHEMA,
    "xsd": XSD,
    "owl": OWL,
    "rdfs": RDFS,
}

GRADES: dict[str, URIRef] = {
    "outstanding": PCC.Outstanding,
    "good": PCC.Good,
    "adequate": PCC.Adequate,
    "requires-improvement": PCC.RequiresImprovement,
    "inadequate": PCC.Inadequate,
}

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = 80) -> str:
    """A lowercase ASCII slug: ``"West Mercia Police's"`` -> ``"west-mercia-polices"``.

    Apostrophes are dropped rather than turned into hyphens, so "harm's" and
    "harms" give the same slug.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"['’‘`]", "", folded.lower())
    slug = _NON_SLUG.sub("-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "x"


def mint_iri(kind: str, key: str) -> URIRef:
    """The instance IRI ``pccid:<kind>/<key>``; ``key`` must already be a slug path."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9./-]*", key):
        raise ValueError(f"not a slug: {key!r}")
    return ID[f"{kind}/{key}"]
