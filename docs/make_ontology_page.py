"""Write docs/ontology.html: the ontology (ontology/ofsted-kg.ttl), its concept schemes (ontology/schemes.ttl)
and the SHACL shapes (ontology/shapes.ttl) as one page of plain HTML.

    python docs/make_ontology_page.py [OUT]      # OUT defaults to docs/ontology.html

The page is rendered from docs/ontology.html.j2 and depends on nothing but those files: every list is
sorted, so the same files give the same bytes (tests/test_ontology_page.py checks the committed page).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from ofsted_kg.namespaces import PREFIXES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONTOLOGY_DIR = ROOT / "ontology"
TEMPLATE = "ontology.html.j2"
OUTPUT = HERE / "ontology.html"

ONTOLOGY_IRI = URIRef("https://w3id.org/ofsted-kg/def")
SHAPES_NS = "https://w3id.org/ofsted-kg/shapes#"
CURIE_PREFIXES = sorted(
    [(prefix, str(namespace)) for prefix, namespace in PREFIXES.items()] + [("okgsh", SHAPES_NS)],
    key=lambda p: (-len(p[1]), p[0]),
)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)

# A constraint's parameters, as the page names them, in the order of its "other" column.
OTHER_PARAMETERS = (
    (SH.pattern, "pattern"),
    (SH.minInclusive, "at least"),
    (SH.maxInclusive, "at most"),
    (SH.minLength, "min length"),
    (SH.maxLength, "max length"),
    (SH.lessThan, "less than"),
    (SH.nodeKind, "node kind"),
)


def curie(node) -> str:
    text = str(node)
    for prefix, namespace in CURIE_PREFIXES:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


def anchor(kind: str, node) -> str:
    """The id of a term's section: class-X and property-x for terms of okg:, else by its prefixed name."""
    text = curie(node)
    local = text[len("okg:") :] if text.startswith("okg:") else text.strip("<>")
    return f"{kind}-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in local)


def text_of(graph: Graph, node, predicate) -> str:
    """One literal value (English or untagged first; sorted, so always the same one), or ''."""
    values = sorted(
        (v for v in graph.objects(node, predicate) if isinstance(v, Literal)),
        key=lambda v: (v.language not in (None, "en"), str(v)),
    )
    return str(values[0]) if values else ""


class Page:
    """The terms of the ontology, the concept schemes and the shapes, as plain values for the template."""

    def __init__(self, ontology: Graph, shapes: Graph):
        self.onto = ontology
        self.shapes = shapes
        self.classes = sorted(
            (c for c in set(ontology.subjects(RDF.type, OWL.Class)) if isinstance(c, URIRef)), key=curie
        )
        self.properties = sorted(
            {p for kind in PROPERTY_TYPES for p in ontology.subjects(RDF.type, kind) if isinstance(p, URIRef)},
            key=curie,
        )
        self.anchors = {c: anchor("class", c) for c in self.classes}
        self.anchors |= {p: anchor("property", p) for p in self.properties}
        self.schemes = sorted(set(ontology.subjects(RDF.type, SKOS.ConceptScheme)), key=curie)
        self.anchors |= {s: anchor("scheme", s) for s in self.schemes}
        targeted = set(shapes.objects(None, SH.targetClass))
        # Classes the shapes check that the ontology does not mint (schema:Person, oa:TextQuoteSelector...).
        self.other_classes = sorted((c for c in targeted if c not in self.anchors), key=curie)
        self.anchors |= {c: anchor("class", c) for c in self.other_classes}

    # ------------------------------------------------------------------ terms as the template shows them

    def term(self, node) -> dict:
        href = self.anchors.get(node)
        return {"curie": curie(node), "iri": str(node), "href": f"#{href}" if href else None}

    def terms(self, nodes) -> list[dict]:
        return [self.term(n) for n in sorted(set(nodes), key=curie)]

    def value(self, node) -> dict:
        """A term, or a literal as text."""
        if isinstance(node, Literal):
            return {"curie": str(node), "iri": None, "href": None}
        return self.term(node)

    # ------------------------------------------------------------------ the page

    def context(self) -> dict:
        o = self.onto
        return {
            "title": text_of(o, ONTOLOGY_IRI, RDFS.label),
            "ontology": {
                "iri": str(ONTOLOGY_IRI),
                "title": text_of(o, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title")),
                "description": text_of(o, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/description")),
                "version": text_of(o, ONTOLOGY_IRI, OWL.versionInfo),
                "imports": self.terms(o.objects(ONTOLOGY_IRI, OWL.imports)),
            },
            "prefixes": sorted(CURIE_PREFIXES),
            "classes": [self.class_section(c) for c in self.classes],
            "other_classes": [self.class_section(c) for c in self.other_classes],
            "properties": [self.property_section(p) for p in self.properties],
            "schemes": [self.scheme_section(s) for s in self.schemes],
        }

    def class_section(self, cls: URIRef) -> dict:
        o = self.onto
        return {
            "id": self.anchors[cls],
            **self.term(cls),
            "label": text_of(o, cls, RDFS.label),
            "definition": text_of(o, cls, SKOS.definition),
            "superclasses": self.terms(o.objects(cls, RDFS.subClassOf)),
            "subclasses": self.terms(s for s in o.subjects(RDFS.subClassOf, cls) if isinstance(s, URIRef)),
            "domain_of": self.terms(o.subjects(RDFS.domain, cls)),
            "range_of": self.terms(o.subjects(RDFS.range, cls)),
            "shapes": [self.node_shape(s) for s in sorted(set(self.shapes.subjects(SH.targetClass, cls)), key=curie)],
        }

    def property_section(self, prop: URIRef) -> dict:
        o = self.onto
        kinds = sorted(curie(t) for t in o.objects(prop, RDF.type))
        return {
            "id": self.anchors[prop],
            **self.term(prop),
            "label": text_of(o, prop, RDFS.label),
            "definition": text_of(o, prop, SKOS.definition),
            "kinds": kinds,
            "deprecated": text_of(o, prop, OWL.deprecated) == "true",
            "superproperties": self.terms(o.objects(prop, RDFS.subPropertyOf)),
            "domain": self.terms(o.objects(prop, RDFS.domain)),
            "range": self.terms(o.objects(prop, RDFS.range)),
        }

    def scheme_section(self, scheme) -> dict:
        o = self.onto
        concepts = []
        for c in sorted(set(o.subjects(SKOS.inScheme, scheme)), key=curie):
            concepts.append(
                {
                    **self.term(c),
                    "label": text_of(o, c, SKOS.prefLabel),
                    "notation": text_of(o, c, SKOS.notation),
                    "definition": text_of(o, c, SKOS.definition),
                    "alt_labels": sorted({str(a) for a in o.objects(c, SKOS.altLabel)}),
                    "types": self.terms(t for t in o.objects(c, RDF.type) if t != SKOS.Concept),
                }
            )
        return {
            "id": self.anchors[scheme],
            **self.term(scheme),
            "label": text_of(o, scheme, SKOS.prefLabel),
            "definition": text_of(o, scheme, SKOS.definition),
            "concepts": concepts,
        }

    # ------------------------------------------------------------------ shapes

    def severity(self, node, default: str = "Violation") -> str:
        value = self.shapes.value(node, SH.severity)
        return curie(value).removeprefix("sh:") if value is not None else default

    def node_shape(self, shape) -> dict:
        g = self.shapes
        severity = self.severity(shape)
        properties = [self.property_constraint(p, severity) for p in g.objects(shape, SH.property)]
        sparql = [self.sparql_constraint(s, severity) for s in g.objects(shape, SH.sparql)]
        return {
            "curie": curie(shape),
            "iri": str(shape),
            "targets": self.terms(g.objects(shape, SH.targetClass)),
            "properties": sorted(properties, key=lambda c: tuple(str(v) for v in c["key"])),
            "sparql": sorted(sparql, key=lambda c: (c["message"], c["select"])),
        }

    def path(self, node) -> str:
        g = self.shapes
        if isinstance(node, URIRef):
            return curie(node)
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + self.path(inverse)
        alternative = g.value(node, SH.alternativePath)
        if alternative is not None:
            return "(" + " | ".join(self.path(n) for n in Collection(g, alternative)) + ")"
        if g.value(node, RDF.first) is not None:
            return " / ".join(self.path(n) for n in Collection(g, node))
        return "?"

    def value_types(self, constraint) -> list[dict]:
        """What each value must be: datatype, class, a choice of them (sh:or), or one of a list (sh:in)."""
        g = self.shapes
        out = [{"rule": "datatype", "terms": self.terms(g.objects(constraint, SH.datatype))}]
        out.append({"rule": "class", "terms": self.terms(g.objects(constraint, SH["class"]))})
        for choice in g.objects(constraint, SH["or"]):
            options = []
            for member in Collection(g, choice):
                options += list(g.objects(member, SH.datatype)) + list(g.objects(member, SH["class"]))
            out.append({"rule": "one of the types", "terms": self.terms(options)})
        for listed in g.objects(constraint, SH["in"]):
            out.append({"rule": "one of", "terms": [self.value(v) for v in Collection(g, listed)]})  # as listed
        return [v for v in out if v["terms"]]

    def property_constraint(self, constraint, default_severity: str) -> dict:
        g = self.shapes
        path = self.path(g.value(constraint, SH.path))
        minimum, maximum = g.value(constraint, SH.minCount), g.value(constraint, SH.maxCount)
        types = self.value_types(constraint)
        other = [
            f"{name} {curie(v) if isinstance(v, URIRef) else v}"
            for key, name in OTHER_PARAMETERS
            for v in sorted(g.objects(constraint, key), key=str)
        ]
        message = text_of(g, constraint, SH.message)
        severity = self.severity(constraint, default_severity)
        name = curie(constraint) if isinstance(constraint, URIRef) else ""
        return {
            "key": (path, minimum or "", maximum or "", types, other, message, severity, name),
            "name": name,
            "path": path,
            "min": "" if minimum is None else str(minimum),
            "max": "" if maximum is None else str(maximum),
            "types": types,
            "other": other,
            "message": message,
            "severity": severity,
        }

    def sparql_constraint(self, constraint, default_severity: str) -> dict:
        g = self.shapes
        select = text_of(g, constraint, SH.select)
        return {
            "name": curie(constraint) if not isinstance(constraint, BNode) else "",
            "message": text_of(g, constraint, SH.message),
            "severity": self.severity(constraint, default_severity),
            "select": textwrap.dedent("\n".join(line.rstrip() for line in select.strip("\n").splitlines())),
        }


def load(ontology_dir: Path = ONTOLOGY_DIR) -> tuple[Graph, Graph]:
    """(the ontology with its concept schemes, the shapes) from an ontology folder."""
    ontology = Graph()
    for name in ("ofsted-kg.ttl", "schemes.ttl"):
        ontology.parse(ontology_dir / name, format="turtle")
    shapes = Graph()
    shapes.parse(ontology_dir / "shapes.ttl", format="turtle")
    return ontology, shapes


def render(ontology_dir: Path = ONTOLOGY_DIR) -> str:
    """The page, as text."""
    environment = Environment(
        loader=FileSystemLoader(HERE),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template(TEMPLATE).render(**Page(*load(ontology_dir)).context())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUTPUT
    out.write_text(render(), encoding="utf-8", newline="\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
