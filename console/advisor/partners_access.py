"""Who may see which partner profiles, projects and introductions.

An advisor sees the profiles that chose one of their organisation's regions (the regions of the
organisation's knowledge-base resource, ``regions``; ``all`` means every region) or chose their
organisation, the projects of their organisation or in its regions, and the introductions where
they see one side. Admins see everything. Anything else answers 404 like an unknown reference,
and the attempt is recorded (``access_refused``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache
from typing import TypeVar

import matchmaking
from appdb import session_scope, utcnow
from console.auth.sessions import Principal
from handoff.models import AuditEvent
from handoff.seed import RESOURCE_DIR, read_resources
from matchmaking.regions import REGION_CODES

log = logging.getLogger("console.partners")
PROFILE_REFERENCE_RE = re.compile(r"^MP-[0-9A-Z]{4}-[0-9A-Z]{4}$")
PROJECT_REFERENCE_RE = re.compile(r"^MJ-[0-9A-Z]{4}-[0-9A-Z]{4}$")
INTRODUCTION_REFERENCE_RE = re.compile(r"^MI-[0-9A-Z]{4}-[0-9A-Z]{4}$")


@cache
def organisation_regions() -> dict[str, frozenset[str]]:
    """Regions served by each organisation, from the knowledge base's resource files."""
    served: dict[str, frozenset[str]] = {}
    for resource in read_resources(RESOURCE_DIR):
        regions = [str(r) for r in resource.get("regions") or []]
        served[str(resource["id"])] = (
            frozenset(REGION_CODES) if "all" in regions else frozenset(regions)
        )
    return served


def visible_regions(principal: Principal) -> frozenset[str] | None:
    """None for admins (everything); else the regions of the advisor's organisation."""
    if principal.is_admin:
        return None
    return organisation_regions().get(principal.organisation_key or "", frozenset())


def sees_profile(principal: Principal, profile: matchmaking.ProfileView) -> bool:
    regions = visible_regions(principal)
    if regions is None:
        return True
    chose_us = profile.organisation_key is not None and (
        profile.organisation_key == principal.organisation_key
    )
    return chose_us or profile.region_code in regions


def sees_project(principal: Principal, project: matchmaking.ProjectView) -> bool:
    regions = visible_regions(principal)
    if regions is None:
        return True
    return project.organisation_key == principal.organisation_key or project.region_code in regions


def sees_introduction(principal: Principal, intro: matchmaking.IntroductionView) -> bool:
    sides = [sees_profile(principal, intro.side_a)]
    if intro.side_b_profile is not None:
        sides.append(sees_profile(principal, intro.side_b_profile))
    if intro.side_b_project is not None:
        sides.append(sees_project(principal, intro.side_b_project))
    return any(sides)


def sees_side(principal: Principal, reference: str) -> bool:
    """Whether ``principal`` may see the profile or project ``reference`` (no audit: used to
    filter suggestions, where the advisor asked for nothing in particular)."""
    try:
        if PROJECT_REFERENCE_RE.match(reference):
            return sees_project(principal, matchmaking.get_project(reference))
        if PROFILE_REFERENCE_RE.match(reference):
            return sees_profile(principal, matchmaking.get_profile(reference))
    except matchmaking.NotFoundError:
        return False
    return False


def sees_view(
    principal: Principal, side: matchmaking.ProfileView | matchmaking.ProjectView
) -> bool:
    """Whether ``principal`` may see this profile or project (the suggestions' filter: a person
    who chose a region is shown only to the advisors of that region's organisations, or of the
    organisation they chose, also when a match reaches a neighbouring region)."""
    if isinstance(side, matchmaking.ProjectView):
        return sees_project(principal, side)
    return sees_profile(principal, side)


def refused(principal: Principal, reference: str) -> None:
    """A security event, without personal data: who tried which reference."""
    log.warning("partner reference %s refused to user %s", reference, principal.user_id)
    with session_scope() as session:
        session.add(
            AuditEvent(
                dossier_id=None,
                reference=reference,
                actor=principal.username,
                action="access_refused",
                at=utcnow(),
            )
        )


def viewed(principal: Principal, reference: str, action: str = "viewed") -> None:
    with session_scope() as session:
        session.add(
            AuditEvent(
                dossier_id=None,
                reference=reference,
                actor=principal.username,
                action=action,
                at=utcnow(),
            )
        )


_Item = TypeVar("_Item")


def _visible(
    principal: Principal,
    reference: str,
    pattern: re.Pattern[str],
    get: Callable[[str], _Item],
    sees: Callable[[Principal, _Item], bool],
) -> _Item | None:
    """The item ``reference`` names, if it exists and ``principal`` may see it (a refusal is
    audited); None otherwise, so that a page answers 404 either way."""
    if not pattern.match(reference):
        return None
    try:
        found = get(reference)
    except matchmaking.NotFoundError:
        return None
    if not sees(principal, found):
        refused(principal, reference)
        return None
    return found


def profile(principal: Principal, reference: str) -> matchmaking.ProfileView | None:
    return _visible(
        principal, reference, PROFILE_REFERENCE_RE, matchmaking.get_profile, sees_profile
    )


def project(principal: Principal, reference: str) -> matchmaking.ProjectView | None:
    return _visible(
        principal, reference, PROJECT_REFERENCE_RE, matchmaking.get_project, sees_project
    )


def introduction(principal: Principal, reference: str) -> matchmaking.IntroductionView | None:
    return _visible(
        principal,
        reference,
        INTRODUCTION_REFERENCE_RE,
        matchmaking.get_introduction,
        sees_introduction,
    )
