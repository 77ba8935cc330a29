"""Splicing a written Turtle or TriG file gives, byte for byte, what writing the whole again gives."""

from __future__ import annotations

import random

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ofsted_kg import export
from ofsted_kg.namespaces import ID, OKG


def _triples(rng: random.Random, subjects: list[URIRef]) -> set:
    out = set()
    for s in subjects:
        out.add((s, RDF.type, rng.choice([OKG.Finding, OKG.Judgement])))
        for _ in range(rng.randrange(0, 3)):
            out.add((s, OKG.text, Literal(rng.choice(["a", "b\nc", 'say "no"', "é"]))))
        if rng.random() < 0.5:
            out.add((s, OKG.count, Literal(rng.randrange(5), datatype=XSD.integer)))
    return out


SUBJECTS = [ID[f"finding/{i:02d}"] for i in range(12)] + [URIRef(f"https://example.org/{c}") for c in "abc"]


@pytest.mark.parametrize("seed", range(40))
def test_splicing_the_merged_turtle_equals_writing_it_again(seed):
    rng = random.Random(seed)
    before = _triples(rng, rng.sample(SUBJECTS, rng.randrange(0, len(SUBJECTS))))
    changed = rng.sample(SUBJECTS, rng.randrange(1, 6))  # present or not, kept, changed or removed
    after = {t for t in before if t[0] not in changed}
    now = _triples(rng, [s for s in changed if rng.random() < 0.6])
    after |= now
    subjects = {s: {t for t in now if t[0] == s} for s in changed}
    old = export.turtle(before).encode("utf-8")
    assert b"".join(export.splice_turtle(old, subjects)) == export.turtle(after).encode("utf-8")


@pytest.mark.parametrize("seed", range(40))
def test_splicing_the_trig_equals_writing_it_again(seed):
    rng = random.Random(seed)
    names = [ID[f"document/{i}"] for i in range(6)]
    before = {
        n: _triples(rng, rng.sample(SUBJECTS, rng.randrange(1, 4))) for n in rng.sample(names, rng.randrange(0, 6))
    }
    changed = {
        n: (_triples(rng, rng.sample(SUBJECTS, 2)) if rng.random() < 0.7 else set()) for n in rng.sample(names, 2)
    }
    after = {**before, **changed}
    old = export.trig(before).encode("utf-8")
    assert b"".join(export.splice_trig(old, changed)) == export.trig(after).encode("utf-8")


def test_a_file_not_written_by_ofsted_kg_is_not_spliced():
    with pytest.raises(ValueError, match="not a Turtle file written by ofsted-kg"):
        export.splice_turtle(b"@prefix ex: <http://e/> .\n", {})


def test_a_file_mapped_into_memory_is_spliced_as_its_bytes(tmp_path):
    import mmap

    before = {(ID["finding/01"], RDF.type, OKG.Finding), (ID["finding/03"], RDF.type, OKG.Finding)}
    path = tmp_path / "g.ttl"
    path.write_text(export.turtle(before), encoding="utf-8")
    change = {ID["finding/02"]: {(ID["finding/02"], RDF.type, OKG.Judgement)}, ID["finding/03"]: set()}
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        spliced = b"".join(export.splice_turtle(mapped, change))
    expected = {(ID["finding/01"], RDF.type, OKG.Finding), (ID["finding/02"], RDF.type, OKG.Judgement)}
    assert spliced == export.turtle(expected).encode("utf-8")


def test_a_part_with_a_prefix_these_writers_do_not_use_is_refused_with_a_message():
    written = export.trig({OKG.g1: {(ID["finding/01"], RDF.type, OKG.Finding)}})
    damaged = written.replace("okg:g1 {", "evil:g1 {").encode("utf-8")
    assert damaged != written.encode("utf-8")
    with pytest.raises(ValueError, match="whose prefix these writers do not use"):
        export.splice_trig(damaged, {ID["document/2"]: set()})
