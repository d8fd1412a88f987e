"""The source policy (CONTENT_FORMAT.md, "Sources"): deny-list, mangled addresses, primary vs
secondary, access and verified dates, Bill 111 status on rules, the report and stale lists."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from knowledge_base.review import format_report, source_report, stale, stale_reasons
from knowledge_base.schema import ContentError
from knowledge_base.sources import type_problem, url_problem
from knowledge_base.validation import parse_entry

OK = None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.legisquebec.gouv.qc.ca/en/version/cs/C-67.2?code=se:76&history=20240701", OK),
        ("https://www.legisquebec.gouv.qc.ca/fr/document/rc/C-67.2,%20r.%201/20220401", OK),
        ("https://www.quebec.ca/gouv/ministere/economie", OK),
        ("https://fr.wikipedia.org/wiki/Coop%C3%A9rative", OK),
        (
            "https://vdocuments.fr/les-particularits-de-la-cooprative-de-solidarit.html",
            "document-sharing",
        ),
        ("https://studylibfr.com/doc/4030965/document-pdf", "document-sharing"),
        ("https://fr.readkong.com/page/5-7-soutien-au-travail-autonome", "document-sharing"),
        ("https://123dok.net/article/loi-coop", "document-sharing"),
        ("https://wikimili.com/en/List_of_regions_of_Quebec", "encyclopaedia mirror"),
        (
            "https://kiwix.jackbot.fr/content/wikipedia_fr_all_maxi_2021-09/A/X",
            "encyclopaedia mirror",
        ),
        ("https://kiwix.example.nl/wikipedia_en_all/A/Quebec", "encyclopaedia mirror"),
        ("https://iiab.live/kiwix/content/wikipedia_en/A/Estrie", "encyclopaedia mirror"),
        ("https://www.pressreader.com/canada/record/20210713/1", "scanned newspaper"),
        (
            "https://letincelle.qc.ca/upload/15/journaux/V/files/assets/basic-html/page-10.html",
            "scan",
        ),
        ("https://informeaffaires.com/sites/x/files/flipping_books/edition_mars_2019/33", "scan"),
        ("https://hellodarwin.com/business-aid/programs/support", "aggregator"),
        ("https://studylib.example.org/doc/rapport-annuel-2007---fiducie-du-chantier-s...", "cut"),
        ("https://example.org/page…", "cut"),
        ("https://legisquebec.gouv.qc.ca/en/version/cs/C-67.2%20?code=se%3A76", "stray encoded"),
        ("https://legisquebec.gouv.qc.ca/fr/document/rc/C-67.2,%20r.%201%20/20220401", "stray"),
        ("https://example.org/a%2", "broken %-escape"),
        ("https://eve.coop/index.php@a=180.html", "'@'"),
        ("https://example.org/page).", "punctuation"),
        ("https://www.ledevoir.com/economie/619752/x?utm_source=feedburner", "tracking"),
    ],
)
def test_url_policy(url: str, expected: str | None):
    problem = url_problem(url)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem, problem


@pytest.mark.parametrize(
    ("url", "source_type", "expected"),
    [
        ("https://www.legisquebec.gouv.qc.ca/en/document/cs/c-67.2", "primary", OK),
        ("https://www.legisquebec.gouv.qc.ca/en/document/cs/c-67.2", "secondary", "primary"),
        ("https://www.canada.ca/en/immigration-refugees-citizenship.html", "secondary", "primary"),
        ("https://www.revenuquebec.ca/en/citizens/", "secondary", "primary"),
        ("https://bdso.gouv.qc.ca/pls/ken/p_afch_tabl_clie", "secondary", "primary"),
        ("https://www.newswire.ca/fr/news-releases/x.html", "primary", "secondary"),
        ("https://www.lapresse.ca/affaires/2021/x.php", "primary", "secondary"),
        ("https://www.newswire.ca/fr/news-releases/x.html", "secondary", OK),
        ("https://www.cdrq.coop/services", "primary", OK),
        ("https://psplegal.ca/expertise/x/", "secondary", OK),
    ],
)
def test_source_type_policy(url: str, source_type: str, expected: str | None):
    problem = type_problem(url, source_type)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and f"type: {expected}" in problem, problem


BASE: dict[str, Any] = {
    "id": "sample-entry",
    "kind": "concept",
    "title": {"fr": "Un titre", "en": "A title"},
    "short": {"fr": "Une réponse.", "en": "An answer."},
    "long": {"fr": "Un texte.", "en": "A text."},
    "sources": [
        {
            "title": "Loi",
            "url": "https://www.legisquebec.gouv.qc.ca/en/document/cs/c-67.2/20150429",
            "type": "primary",
            "accessed": "2026-12-03",
        }
    ],
    "verified": "2026-12-03",
    "verification": "sources-read",
}
NEWS = {"title": "Article", "url": "https://www.lapresse.ca/a.php", "type": "secondary"}
RULE_FIELDS = {
    "kind": "rule",
    "law_version": "Read in the version of 29 April 2015, before Bill 111.",
    "bill_111": "not-confirmed",
}


def _doc(**changes) -> dict:
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def _source(**changes) -> list[dict]:
    source = {**BASE["sources"][0], **changes}
    return [{k: v for k, v in source.items() if v is not None}]


@pytest.mark.parametrize(
    ("case", "doc", "field", "message"),
    [
        ("source without type", _doc(sources=_source(type=None)), "sources[0].type", "missing"),
        ("source type unknown", _doc(sources=_source(type="tertiary")), "sources[0].type", ""),
        ("source without date", _doc(sources=_source(accessed=None)), "sources[0].accessed", ""),
        (
            "access in the future",
            _doc(sources=_source(accessed="2999-01-01")),
            "sources[0].accessed",
            "future",
        ),
        (
            "deny-listed mirror",
            _doc(sources=_source(url="https://wikimili.com/en/X")),
            "sources[0].url",
            "mirror",
        ),
        (
            "official page typed secondary",
            _doc(sources=_source(type="secondary")),
            "sources[0].type",
            "primary",
        ),
        (
            "news typed primary",
            _doc(sources=[{**NEWS, "type": "primary", "accessed": "2026-12-03"}]),
            "sources[0].type",
            "secondary",
        ),
        (
            "only secondary, no reason",
            _doc(sources=[{**NEWS, "accessed": "2026-12-03"}]),
            "sources",
            "no primary source",
        ),
        (
            "read on another day",
            _doc(verified="2026-12-02"),
            "verified",
            "no primary source has that",
        ),
        ("verification missing", _doc(verification=None), "verification", "missing"),
        ("verification unknown", _doc(verification="trust-me"), "verification", ""),
        ("verified in the future", _doc(verified="2999-01-01"), "verified", "future"),
        (
            "rule without Bill 111 status",
            _doc(**{**RULE_FIELDS, "bill_111": None}, sources=_source(article="4")),
            "bill_111",
            "missing",
        ),
        (
            "rule version without a date",
            _doc(
                **{**RULE_FIELDS, "law_version": "Before the reform."}, sources=_source(article="4")
            ),
            "law_version",
            "date",
        ),
        (
            "middle dot in French",
            _doc(long={"fr": "Vous n'êtes pas seul·e.", "en": "You are not alone."}),
            "long.fr",
            "seul ou seule",
        ),
    ],
)
def test_entry_policy_names_the_field(case: str, doc: dict, field: str, message: str):
    with pytest.raises(ContentError) as info:
        parse_entry(doc, "sample.yml")
    problems = {p.field: p.message for p in info.value.problems}
    assert field in problems, (case, problems)
    assert message in problems[field], (case, problems[field])


@pytest.mark.parametrize(
    ("case", "doc"),
    [
        ("primary source read on the verified day", _doc()),
        (
            "fact-sheet entry, older link",
            _doc(
                verification="fact-sheet",
                verified="2026-11-26",
                sources=_source(accessed="2026-11-26"),
            ),
        ),
        (
            "only secondary with a reason",
            _doc(
                sources=[{**NEWS, "accessed": "2026-12-03"}],
                no_primary_source="The bill's text was not reachable; the CDRQ can confirm.",
            ),
        ),
        ("rule with version and status", _doc(**RULE_FIELDS, sources=_source(article="4"))),
    ],
)
def test_entry_policy_accepts(case: str, doc: dict):
    assert parse_entry(doc, "sample.yml").id == "sample-entry", case


TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("case", "doc", "expected"),
    [
        ("fresh and read", _doc(), []),
        (
            "old check",
            _doc(verified="2025-01-01", sources=_source(accessed="2025-01-01")),
            ["days ago"],
        ),
        ("fact sheet only", _doc(verification="fact-sheet"), ["fact sheet"]),
        ("rule, Bill 111 unknown", _doc(**RULE_FIELDS, sources=_source(article="4")), ["Bill 111"]),
        (
            "rule, Bill 111 checked",
            _doc(**{**RULE_FIELDS, "bill_111": "unchanged"}, sources=_source(article="4")),
            [],
        ),
    ],
)
def test_stale_reasons(case: str, doc: dict, expected: list[str]):
    reasons = stale_reasons(parse_entry(doc, "x.yml"), days=365, today=TODAY)
    assert len(reasons) == len(expected), (case, reasons)
    for reason, fragment in zip(reasons, expected, strict=True):
        assert fragment in reason


def test_stale_lists_oldest_first_with_reasons():
    old = parse_entry(
        _doc(id="old-entry", verified="2025-01-01", sources=_source(accessed="2025-01-01")), "a.yml"
    )
    fresh = parse_entry(_doc(id="fresh-entry"), "b.yml")
    sheet = parse_entry(_doc(id="sheet-entry", verification="fact-sheet"), "c.yml")
    found = stale([(fresh, "b.yml"), (sheet, "c.yml"), (old, "a.yml")], days=365, today=TODAY)
    assert [e.id for e, _, _ in found] == ["old-entry", "sheet-entry"]


def test_report_counts_primary_and_secondary():
    mixed = parse_entry(
        _doc(id="mixed", sources=_source() + [{**NEWS, "accessed": "2026-12-03"}]), "m.yml"
    )
    primary = parse_entry(_doc(id="primary-only"), "p.yml")
    rows = source_report([primary, mixed])
    assert [(r.entry_id, r.primary, r.secondary) for r in rows] == [
        ("mixed", 1, 1),
        ("primary-only", 1, 0),
    ]
    assert rows[0].primary_share == 0.5
    lines = format_report(rows)
    assert "2026-12-03" in lines[1] and "50%" in lines[1]
    assert lines[-1].startswith("2 entries, 2 primary and 1 secondary sources (67% primary)")
