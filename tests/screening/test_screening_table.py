"""The decision table's loader fails loudly; its codes have texts; its entries exist in the KB."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from screening.answers import COOP_TYPES, DECISION_FIELDS
from screening.table import TABLE_FILE, TableError, default_table, load_table, parse_table
from screening.texts import PLACEHOLDERS, load_texts, placeholders, text
from tests.support.processes import fresh_python

ROOT = Path(__file__).resolve().parents[2]
RAW = yaml.safe_load(TABLE_FILE.read_text(encoding="utf-8"))


def _row(doc: dict, row_id: str) -> dict:
    return next(row for row in doc["rows"] if row["id"] == row_id)


def _broken(change) -> dict:
    doc = copy.deepcopy(RAW)
    change(doc)
    return doc


# (case id, how the table is broken, row named in the error, field named in the error)
BROKEN = [
    (
        "unknown condition",
        lambda d: _row(d, "control_unsure")["when"].update(control={"looks_like": "unsure"}),
        "control_unsure",
        "when.control.looks_like",
    ),
    (
        "unknown answer field",
        lambda d: _row(d, "members_users")["when"].update(region_code={"equals": "06"}),
        "members_users",
        "when.region_code",
    ),
    (
        "impossible answer value",
        lambda d: _row(d, "members_users")["when"].update(members={"equals": "customers"}),
        "members_users",
        "when.members.equals",
    ),
    (
        "YAML boolean instead of a code",
        lambda d: _row(d, "governance_ready")["when"].update(governance_ready={"equals": True}),
        "governance_ready",
        "when.governance_ready.equals",
    ),
    (
        "two conditions on one field",
        lambda d: _row(d, "members_users")["when"].update(
            members={"equals": "users", "in": ["users"]}
        ),
        "members_users",
        "when.members",
    ),
    (
        "empty `in`",
        lambda d: _row(d, "capital_modest")["when"].update(capital_need={"in": []}),
        "capital_modest",
        "when.capital_need.in",
    ),
    (
        "minimum condition on another field",
        lambda d: _row(d, "members_mix")["when"].update(members={"below_minimum": True}),
        "members_mix",
        "when.members.below_minimum",
    ),
    (
        "minimum condition not a boolean",
        lambda d: _row(d, "founders_enough")["when"].update(founders={"below_minimum": "no"}),
        "founders_enough",
        "when.founders.below_minimum",
    ),
    ("no condition", lambda d: _row(d, "members_mix").update(when={}), "members_mix", "when"),
    (
        "unknown coop_fit",
        lambda d: _row(d, "members_mix")["then"].update(coop_fit="great"),
        "members_mix",
        "then.coop_fit",
    ),
    (
        "unknown type",
        lambda d: _row(d, "members_mix")["then"].update(recommended_coop_type="habitation"),
        "members_mix",
        "then.recommended_coop_type",
    ),
    (
        "weak row recommending a type",
        lambda d: _row(d, "control_by_capital")["then"].update(recommended_coop_type="travail"),
        "control_by_capital",
        "then.recommended_coop_type",
    ),
    (
        "reason tied to a field the row does not test",
        lambda d: _row(d, "members_users")["reasons"][0].update(field="control"),
        "members_users",
        "reasons.0.field",
    ),
    (
        "reason without a code",
        lambda d: _row(d, "members_users")["reasons"][0].pop("code"),
        "members_users",
        "reasons.0.code",
    ),
    (
        "bad kb entry id",
        lambda d: _row(d, "members_users")["reasons"][0].update(kb_entry="Coop Types"),
        "members_users",
        "reasons.0.kb_entry",
    ),
    (
        "unknown next step",
        lambda d: _row(d, "founding_alone")["next_steps"].append("call_mom"),
        "founding_alone",
        "next_steps",
    ),
    (
        "to_settle outside the row's fields",
        lambda d: _row(d, "control_unsure")["to_settle"].append("surplus"),
        "control_unsure",
        "to_settle",
    ),
    (
        "unknown key in a row",
        lambda d: _row(d, "members_users").update(priority=1),
        "members_users",
        "priority",
    ),
    (
        "duplicate id",
        lambda d: d["rows"].append(copy.deepcopy(_row(d, "members_users"))),
        "members_users",
        "id",
    ),
    ("id not snake_case", lambda d: _row(d, "members_users").update(id="Members Users"), "#", "id"),
    (
        "row that says nothing",
        lambda d: d["rows"].append({"id": "empty", "when": {"members": {"equals": "users"}}}),
        "empty",
        "then",
    ),
    ("member type missing", lambda d: d["member_types"].pop("mix"), "-", "member_types"),
    (
        "member type unknown",
        lambda d: d["member_types"].update(mix="habitation"),
        "-",
        "member_types.mix",
    ),
    ("no version", lambda d: d.pop("version"), "-", "version"),
]


@pytest.mark.parametrize(
    ("change", "row", "field"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_broken_table_names_row_and_field(change, row, field):
    with pytest.raises(TableError) as error:
        parse_table(_broken(change))
    assert error.value.row.startswith(row)
    assert error.value.field == field
    assert field in str(error.value)


def test_invalid_yaml_fails_with_the_path(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text("rows: [\n", encoding="utf-8")
    with pytest.raises(TableError, match=str(path)):
        load_table(path)


def test_shipped_table_loads():
    table = default_table()
    assert len(table.rows) >= 20
    assert table.member_types["workers"] == "travail"


def _kb_ids() -> set[str]:
    content = ROOT / "knowledge_base" / "content"
    return {
        yaml.safe_load(path.read_text(encoding="utf-8"))["id"] for path in content.rglob("*.yml")
    }


def test_cited_entries_exist_in_the_knowledge_base():
    cited = {r.kb_entry for row in default_table().rows for r in row.reasons if r.kb_entry}
    assert cited - _kb_ids() == set()
    # the legal rules the issue names are all cited
    assert {"one-member-one-vote", "minimum-founding-members", "ristournes", "reserve"} <= cited


def test_every_code_has_french_and_english_text_and_no_text_is_orphaned():
    table = default_table()
    texts = load_texts()
    expected = {
        "reasons": table.reason_codes(),
        "next_steps": set(table.next_step_codes),
        "to_settle": set(DECISION_FIELDS),
        "coop_types": set(COOP_TYPES),
    }
    for section, codes in expected.items():
        assert set(texts[section]) == codes, section
        for code in codes:
            for lang in ("fr", "en"):
                template = texts[section][code][lang]
                assert template.strip(), (section, code, lang)
                assert placeholders(template) <= PLACEHOLDERS, (section, code, lang)


def test_text_fills_placeholders_and_keeps_missing_ones_visible():
    assert "au moins 3" in text("reasons", "founders_below_minimum", "fr", founders=2, minimum=3)
    assert "{minimum}" in text("reasons", "founders_below_minimum", "en", founders=2)
    with pytest.raises(ValueError):
        text("reasons", "founders_below_minimum", "de")


def test_package_imports_neither_rasa_nor_the_knowledge_base():
    code = (
        "import sys, screening, screening.parsing, screening.texts;"
        "roots = ('rasa', 'rasa_sdk', 'knowledge_base');"
        "bad = [m for m in sys.modules if m.split('.')[0] in roots];"
        "print(bad)"
    )
    assert fresh_python(code).strip() == "[]"
