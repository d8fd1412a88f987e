"""Which organisation receives a handoff, from the need, the region and the person's age.

The rules are data (``routing.yml``): the organisations' keys, the needs, the age groups.
Resources come from the caller (knowledge-base entries as dicts or objects with ``id``,
``regions``, ``needs`` and optional ``eligibility``), so this module does no I/O but reading
its rules once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge_base.topics import HUMAN_TOPICS

RULES_FILE = Path(__file__).with_name("routing.yml")
_RULES: dict[str, Any] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))

CDRQ: str = _RULES["organisations"]["cdrq"]
CDRQ_OFFICE_PREFIX: str = _RULES["organisations"]["cdrq_office_prefix"]
PROMIS: str = _RULES["organisations"]["promis"]
PROMIS_REGION: str = str(_RULES["promis_region"])
CJE: str = _RULES["organisations"]["cje"]
SERVICES_QUEBEC: str = _RULES["organisations"]["services_quebec"]
CJE_DEFAULT_AGE_MIN: int = _RULES["cje_default_age"]["min"]
CJE_DEFAULT_AGE_MAX: int = _RULES["cje_default_age"]["max"]

ASKED_NEEDS: tuple[str, ...] = tuple(_RULES["needs"]["asked"])
COOPERATIVE_NEEDS: tuple[str, ...] = tuple(_RULES["needs"]["cooperative"])
SETTLEMENT_NEEDS: tuple[str, ...] = tuple(_RULES["needs"]["settlement"])
PUBLIC_CONTACT_NEEDS: frozenset[str] = frozenset(_RULES["needs"]["public_contacts"])
# The age routing assumes within each age group the form asks.
AGE_OF_GROUP: dict[str, int] = {
    str(name): int(group["assumed_age"]) for name, group in _RULES["age_groups"].items()
}
_GROUP_LIMITS: list[tuple[int | None, str]] = [
    (group.get("up_to"), str(name)) for name, group in _RULES["age_groups"].items()
]
PLAUSIBLE_AGE: tuple[int, int] = (_RULES["plausible_age"]["min"], _RULES["plausible_age"]["max"])


def need_of(chosen: str | None, topic: str | None) -> str:
    """The need routed: the one chosen, else integration after a topic that needs a person.

    Args:
        chosen: The need the person chose in the form, if any.
        topic: The topic of the knowledge-base entry last answered, if any.

    Returns:
        One of ``ASKED_NEEDS``.
    """
    if chosen in ASKED_NEEDS:
        return str(chosen)
    if topic in HUMAN_TOPICS:
        return str(_RULES["needs"]["after_human_topic"])
    return str(_RULES["needs"]["default"])


def age_group_of(age: int) -> str:
    """The age group (``routing.yml``) of an age in years."""
    for up_to, name in _GROUP_LIMITS:
        if up_to is None or age <= up_to:
            return name
    return _GROUP_LIMITS[-1][1]


def public_contacts(resources: Iterable[Any]) -> list[Any]:
    """The resources worth giving as public contacts when nothing is stored (order kept)."""
    return [r for r in resources if PUBLIC_CONTACT_NEEDS & set(_get(r, "needs") or [])]


@dataclass(frozen=True)
class RoutingChoice:
    """The organisation proposed (None: the shared queue) and a code saying why."""

    organisation_key: str | None
    reason_code: str


def _get(resource: Any, name: str, default: Any = None) -> Any:
    if isinstance(resource, Mapping):
        return resource.get(name, default)
    return getattr(resource, name, default)


def _covers(resource: Any, region_code: str | None) -> bool:
    regions = list(_get(resource, "regions") or [])
    return "all" in regions or (region_code is not None and region_code in regions)


def _age_ok(resource: Any, age: int | None, default_min: int = 0) -> bool:
    eligibility = _get(resource, "eligibility")
    if eligibility is None:
        return True
    age_min = _get(eligibility, "age_min")
    age_max = _get(eligibility, "age_max")
    if age_min is None and age_max is None:
        return True
    if age is None:
        return False  # an age-limited service is only proposed when we know the age fits
    lower = age_min if age_min is not None else default_min
    return lower <= age and (age_max is None or age <= age_max)


def _cje_fits(resource: Any, age: int | None) -> bool:
    if age is None:
        return False  # the CJE is proposed only when we know the person is young enough
    eligibility = _get(resource, "eligibility") or {}
    age_min = _get(eligibility, "age_min")
    age_max = _get(eligibility, "age_max")
    lower = CJE_DEFAULT_AGE_MIN if age_min is None else age_min
    upper = CJE_DEFAULT_AGE_MAX if age_max is None else age_max
    return lower <= age <= upper


def _by_id(resources: Iterable[Any]) -> dict[str, Any]:
    return {str(_get(r, "id")): r for r in resources}


def choose_organisation(
    need: str | None,
    region_code: str | None,
    age: int | None = None,
    *,
    resources: Iterable[Any],
) -> RoutingChoice:
    """The organisation to propose first; ``organisation_key`` None means the shared queue."""
    known = _by_id(resources)
    if need in SETTLEMENT_NEEDS:
        promis = known.get(PROMIS)
        if promis is not None and region_code == PROMIS_REGION and _covers(promis, region_code):
            return RoutingChoice(PROMIS, "settlement_montreal")
        cje = known.get(CJE)
        if cje is not None and _covers(cje, region_code) and _cje_fits(cje, age):
            return RoutingChoice(CJE, "settlement_youth")
        if SERVICES_QUEBEC in known:
            return RoutingChoice(SERVICES_QUEBEC, "settlement_regional")
        return RoutingChoice(None, "no_organisation")
    # Co-op projects, and anything we cannot place, go to the co-op development network.
    if region_code is not None:
        offices = sorted(
            key
            for key, resource in known.items()
            if key.startswith(CDRQ_OFFICE_PREFIX)
            and region_code in (_get(resource, "regions") or [])
        )
        if offices:
            return RoutingChoice(offices[0], "cooperative_regional_office")
    if CDRQ in known:
        return RoutingChoice(CDRQ, "cooperative_head_office")
    return RoutingChoice(None, "no_organisation")


def alternatives(
    need: str | None,
    region_code: str | None,
    age: int | None = None,
    *,
    resources: Iterable[Any],
    exclude: str | None = None,
    limit: int = 5,
) -> list[str]:
    """Other organisations serving this need here, regional ones before province-wide ones."""
    # Settling in and finding work overlap: offer organisations of either kind.
    wanted: tuple[str, ...] = SETTLEMENT_NEEDS if need in SETTLEMENT_NEEDS else ("cooperative",)
    if exclude is None:
        exclude = choose_organisation(need, region_code, age, resources=resources).organisation_key
    regional: list[str] = []
    provincial: list[str] = []
    for key, resource in sorted(_by_id(resources).items()):
        if key == exclude or not set(wanted) & set(_get(resource, "needs") or []):
            continue
        if not _covers(resource, region_code) or not _age_ok(resource, age, CJE_DEFAULT_AGE_MIN):
            continue
        regions = _get(resource, "regions") or []
        (provincial if "all" in regions else regional).append(key)
    return (regional + provincial)[:limit]
