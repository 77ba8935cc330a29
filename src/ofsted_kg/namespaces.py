"""Every namespace the project uses, in one place."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/ofsted-kg/"

OKG = Namespace(BASE + "def#")
FRAMEWORK = Namespace(BASE + "def/framework/")
AREA = Namespace(BASE + "def/area/")
GRADE = Namespace(BASE + "def/grade/")
KIND = Namespace(BASE + "def/kind/")
SERVICE_KIND = Namespace(BASE + "def/service-kind/")
GROUP = Namespace(BASE + "def/children/")
PROFESSION = Namespace(BASE + "def/profession/")
ID = Namespace(BASE + "id/")
OA = Namespace("http://www.w3.org/ns/oa#")
# An open namespace: rdflib's closed copy of schema.org lacks newer terms (schema:observationAbout).
SCHEMA = Namespace("https://schema.org/")

# (rdflib's own vocabularies are DefinedNamespace classes, not Namespace objects: both give their IRI as str.)
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "okg": OKG,
    "framework": FRAMEWORK,
    "area": AREA,
    "grade": GRADE,
    "kind": KIND,
    "service": SERVICE_KIND,
    "group": GROUP,
    "profession": PROFESSION,
    "id": ID,
    "oa": OA,
    "prov": PROV,
    "org": ORG,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
}


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes so serialisations read well."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
