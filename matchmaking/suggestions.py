"""Suggestions for one profile or project, from the stored profiles and open projects.

What a suggestion shows of the other side is a summary without name or contact: a phone number
or an e-mail address written in its free text is masked (``redaction``); the advisor reviews the
free text before telling anyone about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matchmaking.matching import PROFILE, Matcher, Suggestion, TextEncoder
from matchmaking.profiles import get_profile, get_project, list_profiles, list_projects
from matchmaking.records import (
    PROJECT_PREFIX,
    ProfileView,
    ProjectView,
    profile_candidate,
    project_candidate,
)
from matchmaking.redaction import redact
from matchmaking.regions import load_regions


@dataclass(frozen=True)
class SideSummary:
    """The other side of a suggestion as an advisor sees it: no name, no contact."""

    reference: str
    kind: str
    intent: str | None
    text: str
    sector: str | None
    region_code: str | None
    role: str | None
    roles_sought: tuple[str, ...]
    languages: tuple[str, ...]
    availability: str | None


@dataclass(frozen=True)
class RankedSuggestion:
    """A suggestion with what an advisor may see of its other side."""

    suggestion: Suggestion
    other: SideSummary


def summary(side: ProfileView | ProjectView, lang: str = "fr") -> SideSummary:
    """What an advisor is shown of a profile or a project among suggestions.

    Contact details in its free text are masked in ``lang``.
    """
    if isinstance(side, ProjectView):
        return SideSummary(
            side.reference,
            "project",
            None,
            redact(f"{side.title} — {side.description}", lang) or "",
            side.sector,
            side.region_code,
            None,
            side.roles_sought,
            side.languages,
            side.availability,
        )
    return SideSummary(
        side.reference,
        PROFILE,
        side.intent,
        redact(side.project_text, lang) or "",
        side.sector,
        side.region_code,
        side.role,
        side.roles_sought,
        side.languages,
        side.availability,
    )


_matchers: dict[str, Matcher] = {}


def matcher_for(encoder: TextEncoder | None) -> Matcher:
    """One matcher (and its vector cache) per encoder, so pages do not re-encode every text."""
    key = getattr(encoder, "name", "none") if encoder is not None else "none"
    if key not in _matchers:
        _matchers[key] = Matcher(encoder)
    return _matchers[key]


def suggest_for(
    reference: str,
    encoder: TextEncoder | None,
    limit: int = 5,
    visible: Callable[[ProfileView | ProjectView], bool] | None = None,
    lang: str = "fr",
) -> list[RankedSuggestion]:
    """The best suggestions for a profile (profiles and open projects) or a project (profiles).

    ``visible`` keeps only the other sides the viewer may see (an advisor sees the people and
    projects of their organisation's regions): the others are never ranked nor shown. ``lang``
    is the viewer's, for the mask of contact details in the other side's text.
    """
    matcher = matcher_for(encoder)
    target: ProfileView | ProjectView
    if reference.startswith(PROJECT_PREFIX + "-"):
        target = get_project(reference)
        candidate = project_candidate(target)
    else:
        target = get_profile(reference)
        if target.status != "active":
            return []
        candidate = profile_candidate(target)
    sides: dict[str, ProfileView | ProjectView] = {
        p.reference: p for p in list_profiles(active_only=True)
    }
    if candidate.kind == PROFILE:
        sides.update({p.reference: p for p in list_projects(open_only=True)})
    if visible is not None:
        sides = {ref: side for ref, side in sides.items() if visible(side)}
    pool = [
        profile_candidate(s) if isinstance(s, ProfileView) else project_candidate(s)
        for s in sides.values()
    ]
    ranked = matcher.suggest(candidate, pool, limit=limit)
    return [RankedSuggestion(s, summary(sides[s.reference], lang)) for s in ranked]


def projects_near(
    region_code: str, sector: str | None = None, *, neighbouring: bool = False
) -> list[ProjectView]:
    """Open projects a person who asks may be shown.

    Those in their region (and the neighbouring ones when they said they would travel), of their
    sector when they gave one. Projects are written by organisations, so their texts need no
    review.
    """
    regions = {region_code}
    if neighbouring:
        regions |= load_regions().neighbours.get(region_code, frozenset())
    projects = list_projects(regions, open_only=True, sector=sector)
    # Their own region first.
    return sorted(projects, key=lambda p: p.region_code != region_code)
