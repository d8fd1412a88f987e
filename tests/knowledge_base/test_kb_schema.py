"""Each kind of content error names the file and the field in its message."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from knowledge_base.schema import ContentError
from knowledge_base.validation import load_directory

VALID = {
    "id": "sample-entry",
    "kind": "concept",
    "title": {"fr": "Un titre", "en": "A title"},
    "short": {"fr": "Une réponse courte.", "en": "A short answer."},
    "long": {"fr": "Un texte plus long.", "en": "A longer text."},
    "sources": [
        {
            "title": "Source",
            "url": "https://example.org/a",
            "type": "primary",
            "accessed": "2026-11-01",
        }
    ],
    "verified": "2026-11-01",
    "verification": "sources-read",
}
RULE = {
    **VALID,
    "kind": "rule",
    "law_version": "Version of 1 April 2022, before Bill 111.",
    "bill_111": "not-confirmed",
}
RULE["sources"] = [
    {
        "title": "Loi",
        "url": "https://example.org/law",
        "type": "primary",
        "accessed": "2026-11-01",
        "article": "222",
    }
]
RESOURCE = {**VALID, "kind": "resource", "regions": ["all"], "needs": ["cooperative"]}
REGION = {**VALID, "kind": "region", "code": "06", "cities": ["Montréal"]}


def _set(doc: dict, path: str, value) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if value is DELETE:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return doc


DELETE = object()

CASES = [
    # (case, base document, field to change, new value, field path expected in the message)
    ("missing field", VALID, "short", DELETE, "short"),
    ("missing language", VALID, "short.en", DELETE, "short.en"),
    ("blank language", VALID, "title.fr", "   ", "title.fr"),
    ("wrong kind", VALID, "kind", "faq", "kind"),
    ("missing kind", VALID, "kind", DELETE, "kind"),
    ("bad url scheme", VALID, "sources.0.url", "ftp://example.org/a", "sources[0].url"),
    ("url not a url", VALID, "sources.0.url", "example dot org", "sources[0].url"),
    ("no source", VALID, "sources", [], "sources"),
    ("missing article on a rule", RULE, "sources.0.article", DELETE, "sources"),
    ("missing law_version on a rule", RULE, "law_version", DELETE, "law_version"),
    ("text too long", VALID, "short.en", "x" * 451, "short.en"),
    ("long text too long", VALID, "long.fr", "x" * 1501, "long.fr"),
    ("unknown key", VALID, "summary", {"fr": "a", "en": "b"}, "summary"),
    ("unknown key in sources", VALID, "sources.0.page", 3, "sources[0].page"),
    ("id not kebab-case", VALID, "id", "Sample_Entry", "id"),
    ("number instead of text", VALID, "title.en", 42, "title.en"),
    ("bad date", VALID, "verified", "someday", "verified"),
    ("region code out of range", REGION, "code", "18", "code"),
    ("region code as a number", REGION, "code", 6, "code"),
    ("resource region code", RESOURCE, "regions", ["6"], "regions[0]"),
    ("resource unknown need", RESOURCE, "needs", ["housing"], "needs[0]"),
    ("resource without needs", RESOURCE, "needs", DELETE, "needs"),
    ("region field on a concept", VALID, "cities", ["Laval"], "cities"),
    ("unknown related id", VALID, "related", ["no-such-entry"], "related[0]"),
]


def _write(root: Path, doc: dict, name: str | None = None) -> Path:
    kind = doc["kind"] if doc.get("kind") in ("concept", "rule", "resource", "region") else "x"
    path = root / kind / f"{name or doc.get('id', 'sample-entry')}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _error(root: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_directory(root)
    return info.value


def test_valid_documents_pass(tmp_path: Path):
    for doc in (VALID, RULE, RESOURCE, REGION):
        _write(tmp_path, {**doc, "id": f"sample-{doc['kind']}"})
    assert len(load_directory(tmp_path)) == 4


@pytest.mark.parametrize(
    ("base", "field", "value", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_error_names_file_and_field(tmp_path: Path, base, field, value, expected):
    doc = _set(base, field, value)
    path = _write(tmp_path, doc, name="sample-entry" if field == "id" else None)
    error = _error(tmp_path)
    assert str(path) in str(error)
    assert f": {expected}:" in str(error), str(error)
    assert any(p.field == expected for p in error.problems)


def test_invalid_yaml(tmp_path: Path):
    path = tmp_path / "concept" / "broken.yml"
    path.parent.mkdir()
    path.write_text("id: broken\ntitle: {fr: [unclosed\n", encoding="utf-8")
    error = _error(tmp_path)
    assert str(path) in str(error)
    assert "invalid YAML" in str(error) and "line" in error.field


def test_not_a_mapping(tmp_path: Path):
    path = tmp_path / "concept" / "list.yml"
    path.parent.mkdir()
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert "mapping" in str(_error(tmp_path))


def test_id_differs_from_file_name(tmp_path: Path):
    path = _write(tmp_path, VALID, name="another-name")
    error = _error(tmp_path)
    assert f"{path}: id:" in str(error)
    assert "another-name" in str(error)


def test_duplicate_id(tmp_path: Path):
    _write(tmp_path, VALID)
    second = tmp_path / "other" / "sample-entry.yml"
    second.parent.mkdir()
    second.write_text(yaml.safe_dump(VALID), encoding="utf-8")
    error = _error(tmp_path)
    assert "duplicate id" in str(error)
    assert any(p.field == "id" for p in error.problems)


def test_kind_differs_from_folder(tmp_path: Path):
    path = tmp_path / "rule" / "sample-entry.yml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(VALID), encoding="utf-8")
    assert f"{path}: kind:" in str(_error(tmp_path))


def test_all_problems_are_reported_together(tmp_path: Path):
    _write(tmp_path, _set(VALID, "short.en", DELETE))
    _write(tmp_path, _set({**VALID, "id": "second"}, "long.fr", DELETE))
    error = _error(tmp_path)
    assert {p.field for p in error.problems} == {"short.en", "long.fr"}


def test_region_codes_must_exist_once_regions_exist(tmp_path: Path):
    _write(tmp_path, {**REGION, "id": "region-montreal"})
    path = _write(tmp_path, {**RESOURCE, "regions": ["06", "13"]})
    assert f"{path}: regions[1]:" in str(_error(tmp_path))


def test_entry_text_helpers(tmp_path: Path):
    _write(tmp_path, {**RESOURCE, "services": {"fr": ["Conseil"], "en": ["Advice"]}})
    entry, _ = load_directory(tmp_path)[0]
    assert entry.text("short", "en") == "A short answer."
    assert entry.items("services", "fr") == ["Conseil"]
    with pytest.raises(Exception):  # noqa: B017 - frozen model: any mutation must fail
        entry.id = "changed"
