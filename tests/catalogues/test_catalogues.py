"""catalogues.load: the one reader of the packages' bilingual texts.yml files, and its checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import catalogues
from matchmaking.errors import DataFileError
from matchmaking.texts import catalogue as matchmaking_catalogue

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "screening/texts.yml",
    "matchmaking/texts.yml",
    "handoff/texts.yml",
    "bot/channels/texts.yml",
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "texts.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", FILES)
def test_every_package_catalogue_passes_the_checks(name: str) -> None:
    assert catalogues.load(ROOT / name)


def test_codes_and_single_pairs_are_read_as_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "shared_queue: {fr: File partagée, en: Shared queue}\n"
        "reason:\n  same_region: {fr: 'même région ({region})', en: 'same region ({region})'}\n",
    )
    assert catalogues.load(path) == {
        "shared_queue": {"fr": "File partagée", "en": "Shared queue"},
        "reason": {"same_region": {"fr": "même région ({region})", "en": "same region ({region})"}},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("reason:\n  a: {fr: Oui}\n", "reason.a needs a fr and an en text"),
        ("reason:\n  a: {fr: Oui, en: '  '}\n", "reason.a needs a fr and an en text"),
        ("reason:\n  a: Oui\n", "reason.a needs a fr and an en text"),
        ("shared_queue: {en: Shared queue}\n", "shared_queue needs a fr and an en text"),
        (
            "reason:\n  a: {fr: 'au moins {minimum}', en: 'at least {count}'}\n",
            "reason.a: fr and en differ in placeholders",
        ),
        ("reason: [a, b]\n", "reason: must be a mapping of codes"),
        ("- a\n", "must be a mapping of sections"),
    ],
)
def test_a_malformed_catalogue_is_refused_naming_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(catalogues.CatalogueError, match=message) as refused:
        catalogues.load(write(tmp_path, text))
    assert refused.value.code == "catalogue_invalid"
    assert "Oui" not in str(refused.value)  # the entry is named, its text is not


def test_matchmaking_reports_a_bad_catalogue_with_its_own_error(tmp_path: Path) -> None:
    path = write(tmp_path, "reason:\n  a: {fr: 'région {region}', en: 'region'}\n")
    with pytest.raises(DataFileError, match="reason.a: fr and en differ in placeholders"):
        matchmaking_catalogue(path)


@pytest.mark.parametrize("folder", ["console/static/widget/v1/i18n", "bot/telegram/texts"])
def test_the_per_language_json_catalogues_match(folder: str) -> None:
    """The widget's and the bridge's catalogues: the same keys and placeholders in both files."""
    french, english = (
        json.loads((ROOT / folder / f"{lang}.json").read_text(encoding="utf-8"))
        for lang in catalogues.LANGUAGES
    )
    assert set(french) == set(english)
    for key, text in french.items():
        assert isinstance(text, str) and text.strip(), key
        assert catalogues.placeholders(text) == catalogues.placeholders(english[key]), key
