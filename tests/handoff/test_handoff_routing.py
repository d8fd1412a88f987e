"""Routing: the organisation proposed first for a need, a region and an age, and alternatives."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from handoff.routing import RoutingChoice, alternatives, choose_organisation

RESOURCE_DIR = Path(__file__).resolve().parents[2] / "knowledge_base" / "content" / "resource"


@pytest.fixture(scope="module")
def resources() -> list[dict]:
    """The real knowledge-base resources, as plain dicts (what the caller passes)."""
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in RESOURCE_DIR.glob("*.yml")]


@pytest.mark.parametrize(
    ("need", "region", "age", "expected"),
    [
        # A co-op project: the CDRQ's regional office when the knowledge base has one.
        ("cooperative", "06", None, ("cdrq-montreal-laval", "cooperative_regional_office")),
        ("cooperative", "13", 40, ("cdrq-montreal-laval", "cooperative_regional_office")),
        ("cooperative", "03", None, ("cdrq", "cooperative_head_office")),
        ("cooperative", None, None, ("cdrq", "cooperative_head_office")),
        ("business", "06", None, ("cdrq-montreal-laval", "cooperative_regional_office")),
        ("financing", "05", 25, ("cdrq", "cooperative_head_office")),
        (None, "06", None, ("cdrq-montreal-laval", "cooperative_regional_office")),
        ("unknown-need", "07", None, ("cdrq", "cooperative_head_office")),
        # Integration or employment: PROMIS in Montréal, else the CJE for 15–35, else SQ.
        ("integration", "06", 28, ("promis", "settlement_montreal")),
        ("employment", "06", 50, ("promis", "settlement_montreal")),
        ("integration", "13", 28, ("carrefours-jeunesse-emploi", "settlement_youth")),
        ("employment", "03", 15, ("carrefours-jeunesse-emploi", "settlement_youth")),
        ("employment", "03", 35, ("carrefours-jeunesse-emploi", "settlement_youth")),
        ("employment", "03", 14, ("services-quebec", "settlement_regional")),
        ("employment", "03", 36, ("services-quebec", "settlement_regional")),
        ("employment", "03", None, ("services-quebec", "settlement_regional")),
        ("integration", None, 30, ("carrefours-jeunesse-emploi", "settlement_youth")),
        ("integration", None, None, ("services-quebec", "settlement_regional")),
    ],
)
def test_routing_table(resources, need, region, age, expected) -> None:
    assert choose_organisation(need, region, age, resources=resources) == RoutingChoice(*expected)


def test_resources_may_be_objects() -> None:
    office = SimpleNamespace(id="cdrq-estrie", regions=["05"], needs=["cooperative"])
    head = SimpleNamespace(id="cdrq", regions=["all"], needs=["cooperative"])
    assert choose_organisation("cooperative", "05", resources=[head, office]).organisation_key == (
        "cdrq-estrie"
    )


def test_no_matching_resource_means_the_shared_queue() -> None:
    assert choose_organisation("integration", "03", resources=[]) == RoutingChoice(
        None, "no_organisation"
    )
    assert choose_organisation("cooperative", "03", resources=[]).organisation_key is None


def test_cje_defaults_to_15_35_when_the_data_gives_no_bound() -> None:
    cje = {"id": "carrefours-jeunesse-emploi", "regions": ["all"], "needs": ["employment"]}
    assert choose_organisation("employment", "03", 60, resources=[cje]).organisation_key is None
    assert choose_organisation("employment", "03", 20, resources=[cje]).organisation_key == (
        "carrefours-jeunesse-emploi"
    )


def test_alternatives_for_a_montreal_coop_project(resources) -> None:
    keys = alternatives("cooperative", "06", resources=resources, limit=20)
    assert "cdrq-montreal-laval" not in keys  # the first choice is not an alternative
    assert keys[0] == "pme-mtl"  # regional organisations before province-wide ones
    assert "cdrq" in keys and "promis" not in keys
    assert "carrefours-jeunesse-emploi" not in keys  # age-limited, age unknown


def test_alternatives_for_settlement(resources) -> None:
    keys = alternatives("integration", "06", 25, resources=resources, limit=20)
    assert "promis" not in keys
    assert {"carrefours-jeunesse-emploi", "services-quebec", "mifi"} <= set(keys)
    assert "cdrq" not in keys
    assert alternatives("integration", "06", 25, resources=resources, limit=2) == keys[:2]


def test_alternatives_exclude_what_the_user_already_has(resources) -> None:
    keys = alternatives("cooperative", "03", resources=resources, exclude="reseau-coop", limit=20)
    assert "reseau-coop" not in keys and "cdrq" in keys
