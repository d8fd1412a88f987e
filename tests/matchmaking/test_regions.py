"""The neighbours of Québec's 17 administrative regions: complete, symmetric, geographically
right on the cases that matter, and named as the knowledge base names them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from matchmaking.errors import DataFileError
from matchmaking.regions import NEIGHBOURS_FILE, REGION_CODES, load_regions, parse

REGION_DIR = Path(__file__).resolve().parents[2] / "knowledge_base" / "content" / "region"


def test_every_region_is_listed_once_with_neighbours() -> None:
    regions = load_regions()
    assert sorted(regions.neighbours) == list(REGION_CODES)
    assert all(regions.neighbours[code] for code in REGION_CODES)


def test_the_relation_is_symmetric_and_never_reflexive() -> None:
    regions = load_regions()
    for code, around in regions.neighbours.items():
        assert code not in around
        for other in around:
            assert code in regions.neighbours[other], (code, other)


def test_names_and_codes_are_the_knowledge_bases() -> None:
    regions = load_regions()
    for path in REGION_DIR.glob("*.yml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = re.sub(r"\s*\(région \d\d\)$", "", document["title"]["fr"])
        assert regions.names[str(document["code"])] == name, path.name


@pytest.mark.parametrize(
    ("a", "b", "neighbours"),
    [
        ("06", "13", True),  # Montréal – Laval (Rivière des Prairies bridges)
        ("06", "16", True),  # Montréal – Montérégie (St. Lawrence bridges)
        ("06", "15", True),  # Montréal – Laurentides (Lac des Deux Montagnes)
        ("06", "14", True),  # Montréal – Lanaudière (Le Gardeur bridge)
        ("03", "12", True),  # Québec – Lévis (Pont de Québec)
        ("04", "17", True),  # Trois-Rivières – Bécancour (Pont Laviolette)
        ("02", "03", True),  # Saguenay–Lac-Saint-Jean – Capitale-Nationale, on land
        ("08", "10", True),  # Abitibi-Témiscamingue – Nord-du-Québec
        ("05", "12", True),  # Estrie – Chaudière-Appalaches
        ("07", "15", True),  # Outaouais – Laurentides
        ("01", "11", True),  # Bas-Saint-Laurent – Gaspésie
        ("01", "09", False),  # across the estuary, ferries only
        ("01", "03", False),  # Kamouraska – Charlevoix, ferry only
        ("11", "09", False),  # across the gulf
        ("14", "16", False),  # Berthier – Sorel, ferry only
        ("06", "05", False),  # Montréal – Estrie, Montérégie in between
        ("07", "06", False),  # Outaouais – Montréal, Laurentides in between
        ("13", "16", False),  # Laval – Montérégie, Montréal in between
    ],
)
def test_geography(a: str, b: str, neighbours: bool) -> None:
    assert load_regions().are_neighbours(a, b) is neighbours


def test_gaspesie_has_one_neighbour_and_montreal_four() -> None:
    regions = load_regions()
    assert regions.neighbours["11"] == {"01"}
    assert regions.neighbours["06"] == {"13", "14", "15", "16"}


def _document() -> dict:
    return yaml.safe_load(NEIGHBOURS_FILE.read_text(encoding="utf-8"))


def test_an_asymmetric_file_is_refused_with_its_key() -> None:
    document = _document()
    document["regions"]["01"]["neighbours"].append("05")
    with pytest.raises(DataFileError, match=r"regions\.05\.neighbours: 01 missing"):
        parse(document, "test.yml")


def test_a_missing_region_is_refused() -> None:
    document = _document()
    del document["regions"]["17"]
    with pytest.raises(DataFileError, match="01 to 17"):
        parse(document, "test.yml")


def test_an_unknown_neighbour_is_refused() -> None:
    document = _document()
    document["regions"]["01"]["neighbours"].append("18")
    with pytest.raises(DataFileError, match="unknown"):
        parse(document, "test.yml")
