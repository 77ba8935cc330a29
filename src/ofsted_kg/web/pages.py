"""The pages of a council and of an inspection, made from one query each (web/queries/council.rq,
inspection.rq) beside the resource's own statements (resource.rq, which the server has read already to
know what the resource is).

A council's page: its inspections over time with their grades (a small chart: chart.py), the latest
ratings, the recommendations made and the actions that answer them, the people and posts, its services.
An inspection's page: its judgements, each grade with its evidence, the findings under each judgement,
its recommendations or points to improve, every document that speaks of it and where they disagree.
Where documents give different values, the page shows the one the graph stands by (its okg:Preference).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TypedDict

from ofsted_kg.namespaces import OKG
from ofsted_kg.queries import Answer, Parameter, SavedQuery
from ofsted_kg.web.answers import Ask
from ofsted_kg.web.chart import grades_chart
from ofsted_kg.web.views import (
    Action,
    CouncilPage,
    CouncilParts,
    Disagreement,
    Finding,
    GradeQuote,
    Inspection,
    InspectionPage,
    InspectionParts,
    Judgement,
    Person,
    Recommendation,
    ResourceView,
    Service,
    Source,
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KINDS = {str(OKG.LocalAuthority): "council", str(OKG.Inspection): "inspection"}
Row = dict[str, str]  # a row of an answer: variable -> value, the unbound left out
Local = Callable[[str], str]  # a resource of the graph -> its page on this server (resource.local)


def kind(statements: Answer) -> str | None:
    """'council' or 'inspection' where the resource is one (by its rdf:type), else None."""
    index = {v: i for i, v in enumerate(statements.variables)}
    for row in statements.rows:
        if str(row[index["p"]]) == RDF_TYPE and str(row[index["o"]]) in KINDS:
            return KINDS[str(row[index["o"]])]
    return None


def page(
    which: str,
    iri: str,
    statements: Answer,
    answer: Callable[[SavedQuery], Answer],
    about: Callable[[str, str], SavedQuery],
    pages_of: Callable[[list[str]], SavedQuery],
    view_of: Callable[[str, Answer, Answer, dict[str, str]], ResourceView],
    local: Local,
) -> CouncilPage | InspectionPage:
    """The context of a council's or an inspection's template. `answer` runs a query (in the worker that
    makes the page), `about` writes the IRI into one of the server's queries, `pages_of` makes pages.rq for
    some evidence targets, `view_of` makes the generic view of the statements (resource.resource_view)."""
    parts = answer(about(which, iri))
    rows = _rows(parts)
    targets = {r["target"] for r in rows if r.get("target")}
    index = statements.variables.index("target")
    targets |= {str(row[index]) for row in statements.rows if row[index] is not None}
    found = answer(pages_of(sorted(targets))) if targets else Answer("SELECT", [], [])
    on_page = {str(t): str(p) for t, p in found.rows}
    context = view_of(iri, statements, Answer("SELECT", ["s", "p", "label"], []), on_page)
    if which == "council":
        council = _council(rows, local)
        _dated(context, {})
        return {**context, **council}
    inspection = _inspection(rows, local, on_page)
    _dated(context, {s["file"]: s["date"] for s in inspection["sources"]})
    return {**context, **inspection}


def _dated(context: ResourceView, dated: dict[str, str]) -> None:
    """Each piece of evidence of the statements with its document's date (file -> date)."""
    for values in context["properties"].values():
        for value in values.values():
            for evidence in value["evidence"]:
                evidence["date"] = dated.get(evidence["file"], "")


def _rows(answer: Answer) -> list[Row]:
    """The rows as dicts of strings, unbound variables left out."""
    return [{v: str(x) for v, x in zip(answer.variables, row, strict=True) if x is not None} for row in answer.rows]


class _Dates(TypedDict):
    values: set[str]
    chosen: str | None


def _inspections(rows: list[Row], local: Local) -> dict[str, Inspection]:
    """Each inspection of the rows, with its dates (the ones stood by) and graded judgements."""
    inspections: dict[str, Inspection] = {}
    dates: dict[tuple[str, str], _Dates] = defaultdict(lambda: {"values": set(), "chosen": None})
    judgements: dict[str, Judgement] = {}
    for r in rows:
        part, i = r["part"], r.get("i", "")  # (every row of these parts has its inspection)
        if part == "inspection":
            inspections[i] = {
                "iri": i, "link": local(i), "label": r["label"], "framework": r.get("kind", ""),
                "type": r.get("extra", ""), "published": r.get("value", ""), "judgements": [],
            }  # fmt: skip
        elif part in ("start", "end"):
            dates[(i, part)]["values"].add(r["value"])
            dates[(i, part)]["chosen"] = r.get("chosen") or dates[(i, part)]["chosen"]
        elif part == "judgement":
            judgement = judgements.setdefault(
                r["thing"],
                {"iri": r["thing"], "link": local(r["thing"]), "i": i, "area": r["label"], "notation": r["kind"],
                 "grades": {}, "chosen": r.get("chosen")},
            )  # fmt: skip
            judgement["grades"][r["value"]] = {"grade": r["text"], "rank": int(r["number"]) if "number" in r else None}
    for (i, part), found in dates.items():
        if i in inspections:
            values = sorted(found["values"])
            chosen = found["chosen"] or (values[0] if part == "start" else values[-1])
            # Other values given, but not those that agree with it less precisely ('2011' of '2011-06').
            others = [v for v in values if not chosen.startswith(v)]
            if part == "start":
                inspections[i]["start"], inspections[i]["start_others"] = chosen, others
            else:
                inspections[i]["end"], inspections[i]["end_others"] = chosen, others
    for judgement in judgements.values():
        _stood_by(judgement)
        if judgement["i"] in inspections:
            inspections[judgement["i"]]["judgements"].append(judgement)
    for inspection in inspections.values():
        inspection.setdefault("start", "")
        inspection.setdefault("end", "")
        inspection["judgements"].sort(key=lambda j: (not j["overall"], j["area"]))
    return inspections


def _stood_by(judgement: Judgement) -> None:
    """The grade shown: the one the graph stands by where documents differ (else the one given)."""
    grades = judgement["grades"]
    chosen = given if (given := judgement["chosen"]) is not None and given in grades else sorted(grades)[0]
    judgement["grade"], judgement["rank"] = grades[chosen]["grade"], grades[chosen]["rank"]
    judgement["others"] = [g["grade"] for value, g in sorted(grades.items()) if value != chosen]
    judgement["overall"] = judgement["notation"].endswith("-overall")


def _recommendations(rows: list[Row], local: Local) -> dict[str, list[Recommendation]]:
    """The recommendations of each inspection, numbered ones first, each with the actions that answer it."""
    actions: dict[str, Action] = {}
    for r in (r for r in rows if r["part"] == "action"):
        action = actions.setdefault(
            r["thing"],
            {"link": local(r["thing"]), "answers": r["value"], "text": r["text"], "number": r.get("number", ""),
             "timescale": r.get("extra", ""), "completed": r.get("kind") == "true", "leads": set()},
        )  # fmt: skip
        if "label" in r:
            action["leads"].add(r["label"])
    found: dict[str, Recommendation] = {}
    for r in (r for r in rows if r["part"] == "recommendation"):
        made = found.setdefault(
            r["thing"],
            {"link": local(r["thing"]), "i": r.get("i", ""), "kind": r["kind"], "text": r["text"],
             "number": int(r["number"]) if "number" in r else None, "to": ""},
        )  # fmt: skip
        made["to"] = max((made["to"], r.get("label", "")), key=lambda n: (len(n), n))  # the longest name
    by_inspection: dict[str, list[Recommendation]] = defaultdict(list)
    for thing, made in found.items():
        made["actions"] = sorted((a for a in actions.values() if a["answers"] == thing), key=lambda a: a["number"])
        by_inspection[made["i"]].append(made)
    for listed in by_inspection.values():
        listed.sort(key=lambda m: (m["to"], m["number"] is None, m["number"] or 0, m["kind"], m["text"]))
    return by_inspection


def _council(rows: list[Row], local: Local) -> CouncilParts:
    inspections = sorted(_inspections(rows, local).values(), key=lambda i: (i["start"], i["label"]))
    recommendations = _recommendations(rows, local)
    for inspection in inspections:
        inspection["recommendations"] = recommendations.get(inspection["iri"], [])
    graded = [i for i in inspections if i["judgements"]]
    people: dict[str, tuple[str, str, set[str]]] = {}  # (link, name, posts)
    services: dict[str, Service] = {}
    for r in rows:
        if r["part"] == "person":
            person = people.setdefault(r["thing"], (local(r["thing"]), r["label"], set()))
            person[2].add(r["text"])
        elif r["part"] == "service":
            services[r["thing"]] = {"link": local(r["thing"]), "name": r["label"], "kind": r.get("kind", "")}
    return {
        "inspections": inspections,
        "chart": grades_chart(inspections),
        "marks": sum(1 for i in inspections for j in i["judgements"] if j["rank"] and i["start"][:4].isdigit()),
        "latest": graded[-1] if graded else None,
        "people": sorted(
            (Person(link=link, name=name, posts=sorted(posts)) for link, name, posts in people.values()),
            key=lambda p: p["name"],
        ),
        "services": sorted(services.values(), key=lambda s: (s["kind"], s["name"].lower())),
    }


def _inspection(rows: list[Row], local: Local, on_page: dict[str, str]) -> InspectionParts:
    sources: dict[str, Source] = {}
    for r in (r for r in rows if r["part"] == "source"):
        sources[r["thing"]] = {
            "file": r["file"], "kind": r["kind"], "date": r.get("value", ""), "title": r.get("text", ""),
            "publisher": r.get("label", ""),
        }  # fmt: skip
    dated = {s["file"]: s["date"] for s in sources.values()}
    judgements: dict[str, Judgement] = {}
    for r in (r for r in rows if r["part"] == "judgement"):
        judgement = judgements.setdefault(
            r["thing"],
            {"iri": r["thing"], "link": local(r["thing"]), "i": "", "area": r["label"], "notation": r["kind"],
             "grades": {}, "chosen": r.get("chosen"), "findings": defaultdict(list)},
        )  # fmt: skip
        judgement["grades"][r["value"]] = {"grade": r["text"], "rank": int(r["number"]) if "number" in r else None}
    evidence: dict[str, list[GradeQuote]] = defaultdict(list)
    for r in (r for r in rows if r["part"] == "grade-evidence" and r["thing"] in judgements):
        grade = judgements[r["thing"]]["grades"].get(r["value"])
        evidence[r["thing"]].append(
            {"grade": grade["grade"] if grade else "", "quote": r["quote"], "file": r["file"], "kind": r.get("extra", ""),
             "date": dated.get(r["file"], ""), "page": on_page.get(r["target"]), "target": r["target"]}
        )  # fmt: skip
    other_findings: list[Finding] = []
    for r in (r for r in rows if r["part"] == "finding"):
        finding: Finding = {
            "link": local(r["thing"]), "text": r["text"], "number": int(r["number"]) if "number" in r else None,
            "kind": r.get("kind", ""), "headline": r.get("extra") == "true",
        }  # fmt: skip
        if r.get("value") in judgements:
            judgements[r["value"]]["findings"][finding["kind"]].append(finding)
        else:
            other_findings.append(finding)

    def order(f: Finding) -> tuple[bool, int, str]:
        return (f["number"] is None, f["number"] or 0, f["text"])

    for thing, judgement in judgements.items():
        _stood_by(judgement)
        judgement["evidence"] = sorted(evidence[thing], key=lambda e: (e["grade"], e["file"], e["quote"]))
        judgement["findings"] = {k: sorted(v, key=order) for k, v in sorted(judgement["findings"].items())}
    disagreements: list[Disagreement] = [
        {"link": local(r["thing"]), "what": r["label"], "chosen": r["chosen"], "why": r["text"],
         "subject": judgements[r["thing"]]["area"] if r["thing"] in judgements else ""}
        for r in rows if r["part"] == "disagreement"
    ]  # fmt: skip
    recommendations = [m for made in _recommendations(rows, local).values() for m in made]
    recommendations.sort(key=lambda m: (m["to"], m["number"] is None, m["number"] or 0, m["kind"], m["text"]))
    return {
        "judgements": sorted(judgements.values(), key=lambda j: (not j["overall"], j["area"])),
        "other_findings": sorted(other_findings, key=order),
        "recommendations": recommendations,
        "sources": sorted(sources.values(), key=lambda s: (s["date"], s["file"])),
        "disagreements": sorted(disagreements, key=lambda d: (d["subject"], d["what"])),
    }


class Council(TypedDict):
    name: str
    link: str
    gss: str


class Holds(TypedDict, total=False):
    """What the home page shows of the graph (nothing until it is asked)."""

    counts: list[tuple[str, int]]  # (kind of thing, how many)
    regions: list[tuple[str, list[Council]]]  # (region, its councils)
    problem: str  # why the counts are not shown


async def home(answer: Ask, kept: Holds) -> Holds:
    """What the graph holds (how many of each kind of thing) and its councils by region, for the home
    page: asked once, since the graph does not change while it is served."""
    if not kept:
        counts = await answer(_own("counts"), {})
        councils = await answer(_own("councils", "council", "region"), {"council": "", "region": ""})
        regions: dict[str, list[Council]] = defaultdict(list)
        for row in _rows(councils):
            regions[row.get("region", "")].append(
                {"name": row["name"], "link": "/id/council/" + row["gss"], "gss": row["gss"]}
            )
        kept["counts"] = [(r["what"], int(r["n"])) for r in _rows(counts)]
        kept["regions"] = sorted(regions.items())
    return kept


def _own(name: str, *parameters: str) -> SavedQuery:
    from pathlib import Path

    text = (Path(__file__).parent / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    return SavedQuery(name, name, "", tuple(Parameter(p, p) for p in parameters), text)
