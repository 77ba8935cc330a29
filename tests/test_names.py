"""Which council a report is about (from its head only) and people's names (without their posts).

Fixtures in fixtures/names/ are excerpts of published reports (their head, the line naming the
lead inspector, Ofsted's back page); the expected values are read from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg.councils import load_councils
from ofsted_kg.documents import Document
from ofsted_kg.errors import DocumentError
from ofsted_kg.extract import extract, looked_after, people, quotes, report, sif
from ofsted_kg.extract.common import head_council, lead_inspectors
from ofsted_kg.facts import Context, InspectionFact, PersonFact, QuoteFact

from conftest import FIXTURES

NAMES = FIXTURES / "names"


def _doc(text: str, tmp_path: Path, name: str = "report.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return Document(path, text, "0" * 64)


def _text(name: str) -> str:
    return (NAMES / f"{name}.txt").read_text(encoding="utf-8")


# (fixture, GSS code of its council, the words of the head that name it)
HEADS = [
    ("st-helens_2019-11-04", "E08000013", "St Helens Metropolitan Borough\nCouncil"),
    ("st-helens_2023-09-04", "E08000013", "St Helens"),
    ("east-riding-of-yorkshire_2023-03-24", "E06000011", "East Riding"),
    ("rotherham_2014-11-19", "E08000018", "Rotherham"),
    ("waltham-forest_2015-01-20", "E09000031", "Waltham Forest"),
    ("rutland_2017-02-13", "E06000017", "Rutland County Council"),
    ("cambridgeshire_2014-08-08", "E10000003", "Cambridgeshire County Council"),
    ("sandwell_2013-08-02", "E08000028", "Sandwell Metropolitan Borough Council"),
    ("wakefield_2018-07-17", "E08000036", "Wakefield"),
]


@pytest.mark.parametrize("name,gss,words", HEADS)
def test_council_from_the_head_in_any_style(tmp_path, name, gss, words):
    text = _text(name)
    council = head_council(_doc(text, tmp_path))
    assert council.value == gss
    (span,) = council.spans
    assert text[span.start : span.end] == words


def test_a_report_filed_under_its_own_council_not_ofsteds_address(tmp_path):
    """St Helens' 2019 report names Manchester only in Ofsted's address: it is St Helens' report."""
    text = _text("st-helens_2019-11-04")
    assert "Manchester" in text
    out = extract(_doc(text, tmp_path))
    (inspection,) = [f for f in out.facts if isinstance(f, InspectionFact)]
    assert out.info.council.value == inspection.council.value == inspection.ref.council == "E08000013"
    (lead,) = inspection.lead_inspectors
    assert lead.value == "Lorna Schlechte"
    for quoted in (inspection.council, lead):
        (span,) = quoted.spans
        assert text[span.start : span.end] in ("St Helens Metropolitan Borough\nCouncil", "Lorna Schlechte")


@pytest.mark.parametrize(
    "name,written,other,gss",
    [
        ("st-helens_2019-11-04", "St Helens Metropolitan Borough\nCouncil", "Wigan Council", "E08000010"),
        ("st-helens_2023-09-04", "Inspection of St Helens local", "Inspection of Saint Helens local", "E08000013"),
        ("east-riding-of-yorkshire_2023-03-24", "of East Riding local", "of Telford local", "E06000020"),
        ("rotherham_2014-11-19", "Metropolitan Borough of Rotherham", "Royal Borough of Greenwich", "E09000011"),
    ],
)
def test_another_council_in_the_head_moves_the_report(tmp_path, name, written, other, gss):
    text = _text(name)
    assert text.count(written) == 1
    council = head_council(_doc(text.replace(written, other), tmp_path))
    assert council.value == gss


@pytest.mark.parametrize(
    "name,written,unknown,reason",
    [
        # no council: the prose's 'St Helens' and Ofsted's 'Manchester' are not the report's head
        (
            "st-helens_2019-11-04",
            "St Helens Metropolitan Borough\nCouncil",
            "Atlantis Metropolitan Borough",
            "names no",
        ),
        ("st-helens_2023-09-04", "Inspection of St Helens local", "Inspection of Atlantis local", "names no"),
        # a short form that starts several councils' names ('East Sussex', 'East Riding of Yorkshire', ...)
        ("east-riding-of-yorkshire_2023-03-24", "of East Riding local", "of East local", "names no"),
        ("east-riding-of-yorkshire_2023-03-24", "of East Riding local", "of Kingston local", "names no"),
        ("rotherham_2014-11-19", "Metropolitan Borough of Rotherham", "Rotherham and Barnsley", "several councils"),
    ],
)
def test_a_head_naming_no_council_or_several_is_rejected(tmp_path, name, written, unknown, reason):
    text = _text(name)
    doc = _doc(text.replace(written, unknown), tmp_path)
    with pytest.raises(DocumentError, match=reason):
        head_council(doc)
    if name.startswith("st-helens"):
        assert "Manchester" in doc.text and "St Helens" in doc.text  # named, but not in the head
        with pytest.raises(DocumentError, match=reason):
            extract(doc)


def test_council_names_resolve_in_their_styles_never_to_another():
    councils = load_councils()
    for written, gss in [
        ("St Helens", "E08000013"),
        ("Saint Helens", "E08000013"),
        ("St. Helens Metropolitan Borough Council", "E08000013"),
        ("Bristol City of", "E06000023"),
        ("Cheshire East Unitary Authority", "E06000049"),
        ("The Royal Borough of Windsor and Maidenhead", "E06000040"),
        ("Stoke on Trent", "E06000021"),
        ("City of London", "E09000001"),
    ]:
        assert councils.resolve(written).gss_code == gss, written
    # 'London' is not the City of London; 'East Riding' is a short form only where a title gives it
    for written in ("London", "East Riding", "Cheshire", "Council", "local authority"):
        assert councils.resolve(written) is None, written
    assert councils.resolve_short("East Riding").gss_code == "E06000011"
    for written in ("East", "Cheshire", "Kingston", "North", "Bath and", "London"):
        assert councils.resolve_short(written) is None, written


# (fixture, the pattern of its template's lead inspector line, the name)
LEADS = [
    ("wakefield_2018-07-17", report.LEAD, "Neil Penswick"),
    ("st-helens_2023-09-04", report.LEAD, "Russel Breyer"),
    ("rutland_2017-02-13", sif.LEAD, "Karen Wareing"),
    ("cambridgeshire_2014-08-08", sif.LEAD, "Helen Cawston"),
    ("waltham-forest_2015-01-20", sif.LEAD, "John Mitchell"),
    ("sandwell_2013-08-02", looked_after.LEAD, "Christopher Sands"),
]


@pytest.mark.parametrize("name,pattern,expected", LEADS)
def test_lead_inspector_is_a_name_without_post(name, pattern, expected):
    text = _text(name)
    notes: list[str] = []
    (lead,) = lead_inspectors(text, pattern.search(text), notes)
    assert lead.value == expected and not notes
    (span,) = lead.spans
    assert text[span.start : span.end] == expected


@pytest.mark.parametrize("name,pattern,expected", LEADS)
def test_another_lead_inspector_or_a_non_name(name, pattern, expected):
    text = _text(name)
    notes: list[str] = []
    other = text.replace(expected, "Senior HMI Jane Smith")
    (lead,) = lead_inspectors(other, pattern.search(other), notes)
    assert lead.value == "Jane Smith" and not notes
    non_name = text.replace(expected, "Adoption Report")
    assert lead_inspectors(non_name, pattern.search(non_name), notes) == ()
    assert notes and "Adoption Report" in notes[0]


@pytest.mark.parametrize(
    "written,name",
    [
        ("Jane Smith HMI", "Jane Smith"),
        ("Jane Smith (HMI)", "Jane Smith"),
        ("Senior HMI Jane Smith", "Jane Smith"),
        ("Jane Smith, His Majesty’s Inspector", "Jane Smith"),
        ("Dr Fiona J Millns.", "Fiona J Millns"),
        ("Dick O’Brien", "Dick O’Brien"),
        ("Paula Thomson-Jones", "Paula Thomson-Jones"),
        ("Adoption Report", None),
        ("Care Council", None),
        ("Inspection Team", None),
        ("Smith", None),
        ("HMI", None),
    ],
)
def test_personal_names(written, name):
    text = f"Lead inspector: {written}\nThe report on adoption.\n"
    start = text.index(written)
    span = people.personal_name(text, start, start + len(written))
    assert (span.quote(text) if span else None) == name


def test_prose_names_no_document_or_group_as_a_person(tmp_path):
    context = Context("E08000003", None, None)
    for name, phrase, person in [
        ("manchester_2014-09-03", "Annual\nAdoption Report says", "Annual\nJane Smith says"),
        ("darlington_2018-05-21", "Children in Care Council, known", "Jane Smith, known"),
    ]:
        text = _text(name)
        persons = people.extract(text, context)
        speakers = [q.speaker.value for q in quotes.extract(text, context, persons) if q.speaker_kind == "person"]
        assert persons == [] and speakers == [], name
        # the same sentence with a person's name in it names that person
        named = text.replace(phrase, person)
        persons = people.extract(named, context)
        speakers = [q.speaker.value for q in quotes.extract(named, context, persons) if q.speaker_kind == "person"]
        assert "Jane Smith" in [p.name.value for p in persons] + speakers, name


def test_every_person_fact_quotes_its_name(tmp_path):
    text = _text("waltham-forest_2015-01-20")
    for fact in people.extract(text, Context(None, None, None)):
        assert isinstance(fact, PersonFact)
        (span,) = fact.name.spans
        assert text[span.start : span.end] == fact.name.value
    assert not [f for f in people.extract(text, Context(None, None, None)) if isinstance(f, QuoteFact)]


def test_a_council_is_mentioned_where_a_word_begins_and_nowhere_else():
    from ofsted_kg.councils import load_councils

    text = "_Birmingham x-Birmingham 2Walsall A_Dudley St Helens, Saint Helens; St. Helens -Sandwell Stoke-on-Trent"
    found = [(m.council.gss_code, text[m.start : m.end]) for m in load_councils().mentions(text)]
    # After an underscore a word begins ("_Birmingham"); inside a word ("A_Dudley"), after a hyphen or a
    # digit, none does.
    assert found == [
        ("E08000025", "Birmingham"),
        ("E08000013", "St Helens"),
        ("E08000013", "Saint Helens"),
        ("E08000013", "St. Helens"),
        ("E06000021", "Stoke-on-Trent"),
    ]


def test_a_hostile_run_of_underscored_names_is_read_in_linear_time():
    import time

    from ofsted_kg.councils import load_councils

    text = "x" + "_Bath-" * 8000  # one run of word characters: one word, from the "x" (the old code took 28 s)
    started = time.process_time()
    assert load_councils().mentions(text) == []
    assert time.process_time() - started < 5
