"""The "Partners" pages: profiles and projects looking for members in the advisor's regions,
suggested matches with their reasons, introductions (answers, notes, outcome), and projects
organisations publish. Every view and change goes into the audit trail (by the matchmaking
store for changes, here for views); contact details appear only once both sides said yes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

import matchmaking
from console.advisor import access, partners_access
from console.advisor.web import PageNotFound, User, checked_form, language, redirect, render
from console.auth.sessions import Principal
from knowledge_base.encoder import Encoder, shared_encoder
from matchmaking.models import OUTCOMES

router = APIRouter(include_in_schema=False)

DONE_CODES = {
    "proposed",
    "answered",
    "met",
    "outcome",
    "note_added",
    "published",
    "status",
    "reviewed",
}
ERROR_CODES = {"invalid", "not_matchable", "transition_refused", "not_found"}
SUGGESTIONS = 5


def _encoder(request: Request) -> Encoder | None:
    """The app's encoder when one was given (tests), else the knowledge base's shared one."""
    given = getattr(request.app.state, "match_encoder", None)
    return given if given is not None else shared_encoder()


def _flash(request: Request) -> dict[str, str | None]:
    done, error = request.query_params.get("done"), request.query_params.get("error")
    return {
        "done": done if done in DONE_CODES else None,
        "error": error if error in ERROR_CODES else None,
    }


def _labels(lang: str) -> dict[str, Callable[..., str]]:
    """Texts of the matchmaking codes (sectors, roles, reasons…) in the advisor's language."""

    def label(section: str, code: str | None) -> str:
        return matchmaking.label(section, code, lang)

    def reason(r: matchmaking.Reason) -> str:
        return matchmaking.render_reason(r.code, r.params, lang)

    def region(code: str | None) -> str:
        return matchmaking.load_regions().name(code) if code else ""

    def stored_reason(r: dict) -> str:
        return reason(matchmaking.Reason(str(r.get("code")), dict(r.get("params") or {})))

    def masked(text: str | None) -> str:
        return matchmaking.redact(text, lang) or ""

    return {
        "label": label,
        "reason": reason,
        "region_name": region,
        "stored_reason": stored_reason,
        "masked": masked,
    }


def _context(request: Request, **values: Any) -> dict[str, Any]:
    return {**_labels(language(request)), **_flash(request), **values}


@router.get("/partners")
async def partners(request: Request, principal: User) -> Response:
    regions = partners_access.visible_regions(principal)
    profiles = matchmaking.list_profiles(regions, principal.organisation_key)
    projects = matchmaking.list_projects(regions, principal.organisation_key)
    return render(
        request,
        "partners.html",
        _context(
            request,
            profiles=profiles,
            projects=projects,
            names=access.organisation_names(),
            regions=sorted(regions) if regions is not None else None,
        ),
        principal=principal,
    )


def _profile_or_404(principal: Principal, reference: str) -> matchmaking.ProfileView:
    found = partners_access.profile(principal, reference)
    if found is None:
        raise PageNotFound()
    return found


def _project_or_404(principal: Principal, reference: str) -> matchmaking.ProjectView:
    found = partners_access.project(principal, reference)
    if found is None:
        raise PageNotFound()
    return found


def _introduction_or_404(principal: Principal, reference: str) -> matchmaking.IntroductionView:
    found = partners_access.introduction(principal, reference)
    if found is None:
        raise PageNotFound()
    return found


def _suggestions(
    principal: Principal, reference: str, request: Request, limit: int = SUGGESTIONS
) -> list[matchmaking.RankedSuggestion]:
    """The suggestions for ``reference`` among the people and projects the advisor may see."""
    return matchmaking.suggest_for(
        reference,
        _encoder(request),
        limit,
        visible=lambda side: partners_access.sees_view(principal, side),
        lang=language(request),
    )


@router.get("/partners/profiles/{reference}")
async def profile_page(reference: str, request: Request, principal: User) -> Response:
    profile = _profile_or_404(principal, reference)
    partners_access.viewed(principal, reference)
    suggestions = _suggestions(principal, reference, request)
    return render(
        request,
        "partner_profile.html",
        _context(
            request,
            p=profile,
            # The review's warning: kinds only (phone, email), the values stay in the text.
            contact_in_text=matchmaking.contact_kinds(
                " ".join([profile.project_text or "", *profile.skills, *profile.skills_sought])
            ),
            suggestions=suggestions,
            introductions=matchmaking.introductions_of(reference),
            names=access.organisation_names(),
        ),
        principal=principal,
    )


@router.post("/partners/profiles/{reference}/review")
async def post_review(reference: str, request: Request, principal: User) -> Response:
    """The advisor read the person's sentence: it may be shown to the other side of an
    introduction from now on."""
    await checked_form(request, principal)
    _profile_or_404(principal, reference)
    matchmaking.review_text(reference, by=principal.username)
    return redirect(f"/partners/profiles/{reference}?done=reviewed")


@router.get("/partners/projects/new")
async def new_project_page(request: Request, principal: User) -> Response:
    return _project_form(request, principal)


def _project_form(
    request: Request,
    principal: Principal,
    error: str | None = None,
    form: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    rules = matchmaking.load_rules()
    return render(
        request,
        "partner_project_new.html",
        _context(
            request,
            rules=rules,
            organisations=access.organisations() if principal.is_admin else [],
            region_codes=sorted(matchmaking.load_regions().names),
            form_error=error,
            values=form or {},
        ),
        status_code=400 if error else 200,
        principal=principal,
    )


@router.post("/partners/projects")
async def post_project(request: Request, principal: User) -> Response:
    form = await checked_form(request, principal)
    organisation = principal.organisation_key
    if principal.is_admin:
        organisation = str(form.get("organisation") or "") or None
    if organisation is None:
        return _project_form(request, principal, "organisation", dict(form))
    try:
        project = matchmaking.publish_project(
            organisation,
            title=str(form.get("title") or ""),
            description=str(form.get("description") or ""),
            region_code=str(form.get("region_code") or ""),
            language=str(form.get("language") or language(request)),
            sector=str(form.get("sector") or "") or None,
            roles_sought=form.getlist("roles_sought"),
            skills_sought=str(form.get("skills_sought") or ""),
            languages=form.getlist("languages"),
            availability=str(form.get("availability") or "") or None,
            by=principal.username,
        )
    except matchmaking.InvalidFieldError as refused:
        return _project_form(request, principal, refused.field, dict(form))
    return redirect(f"/partners/projects/{project.reference}?done=published")


@router.get("/partners/projects/{reference}")
async def project_page(reference: str, request: Request, principal: User) -> Response:
    project = _project_or_404(principal, reference)
    partners_access.viewed(principal, reference)
    suggestions = _suggestions(principal, reference, request)
    return render(
        request,
        "partner_project.html",
        _context(
            request,
            j=project,
            suggestions=suggestions,
            introductions=matchmaking.introductions_of(reference),
            names=access.organisation_names(),
        ),
        principal=principal,
    )


@router.post("/partners/projects/{reference}/status")
async def post_project_status(reference: str, request: Request, principal: User) -> Response:
    form = await checked_form(request, principal)
    _project_or_404(principal, reference)
    try:
        matchmaking.set_project_status(
            reference, str(form.get("status") or ""), by=principal.username
        )
    except matchmaking.InvalidFieldError:
        return redirect(f"/partners/projects/{reference}?error=invalid")
    return redirect(f"/partners/projects/{reference}?done=status")


@router.post("/partners/introductions")
async def post_introduction(request: Request, principal: User) -> Response:
    """Propose an introduction between a profile the advisor sees and a suggested side."""
    form = await checked_form(request, principal)
    profile_ref = str(form.get("profile") or "")
    other_ref = str(form.get("other") or "")
    back = str(form.get("back") or "")
    # Both sides must be visible to the advisor, from either page: a person who chose another
    # region is introduced by that region's advisors, never by a suggestion seen from here.
    _profile_or_404(principal, profile_ref)
    if not partners_access.sees_side(principal, other_ref):
        partners_access.refused(principal, other_ref)
        raise PageNotFound()
    if back == "project":
        # From a project's page: the advisor publishing the project proposes a suggested person.
        back_url = f"/partners/projects/{other_ref}"
    else:
        back_url = f"/partners/profiles/{profile_ref}"
    suggestion = next(
        (
            s.suggestion
            for s in _suggestions(principal, profile_ref, request, limit=50)
            if s.suggestion.reference == other_ref
        ),
        None,
    )
    try:
        intro = matchmaking.propose(
            profile_ref, other_ref, by=principal.username, suggestion=suggestion
        )
    except matchmaking.NotFoundError:
        raise PageNotFound() from None
    except matchmaking.MatchmakingError as refused:
        code = refused.code if refused.code in ERROR_CODES else "invalid"
        return redirect(f"{back_url}?error={code}")
    return redirect(f"/partners/introductions/{intro.reference}?done=proposed")


@router.get("/partners/introductions/{reference}")
async def introduction_page(reference: str, request: Request, principal: User) -> Response:
    intro = _introduction_or_404(principal, reference)
    partners_access.viewed(principal, reference)
    return render(
        request,
        "partner_introduction.html",
        _context(
            request,
            i=intro,
            outcomes=OUTCOMES,
            names=access.organisation_names(),
        ),
        principal=principal,
    )


async def _change(
    request: Request, principal: Principal, reference: str, apply: Callable[[FormData], str]
) -> Response:
    form = await checked_form(request, principal)
    _introduction_or_404(principal, reference)
    try:
        done = apply(form)
    except matchmaking.MatchmakingError as refused:
        code = refused.code if refused.code in ERROR_CODES else "invalid"
        if isinstance(refused, matchmaking.InvalidFieldError):
            code = "invalid"
        return redirect(f"/partners/introductions/{reference}?error={code}")
    return redirect(f"/partners/introductions/{reference}?done={done}")


@router.post("/partners/introductions/{reference}/answer")
async def post_answer(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        matchmaking.record_answer(
            reference,
            str(form.get("side") or ""),
            str(form.get("answer") or ""),
            by=principal.username,
        )
        return "answered"

    return await _change(request, principal, reference, apply)


@router.post("/partners/introductions/{reference}/met")
async def post_met(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        matchmaking.mark_met(reference, by=principal.username)
        return "met"

    return await _change(request, principal, reference, apply)


@router.post("/partners/introductions/{reference}/outcome")
async def post_outcome(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        matchmaking.record_outcome(reference, str(form.get("outcome") or ""), by=principal.username)
        return "outcome"

    return await _change(request, principal, reference, apply)


@router.post("/partners/introductions/{reference}/notes")
async def post_note(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        matchmaking.add_note(reference, str(form.get("text") or ""), by=principal.username)
        return "note_added"

    return await _change(request, principal, reference, apply)
