"""Keeping the content right: the content view for maintainers (admins) — unanswered questions
by topic, knowledge entries past their verification date, answers flagged by advisors — and the
advisors' form to flag an answer seen in a shared transcript."""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, timedelta

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from appdb import session_scope
from console.advisor import access, changes, toolkit
from console.advisor.web import Admin, PageNotFound, User, checked_form, redirect, render
from handoff import flags
from handoff.dossier import InvalidRequestError
from knowledge_base.models import UnansweredQuestion

router = APIRouter(include_in_schema=False)
QUESTIONS_PER_TOPIC = 10
NO_TOPIC = "none"


def stale_days() -> int:
    """An entry is past its verification date this many days after it was checked."""
    value = os.environ.get("KB_STALE_DAYS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 365


def unanswered_by_topic() -> list[tuple[str, int, list[UnansweredQuestion]]]:
    with session_scope() as session:
        rows = list(
            session.execute(
                select(UnansweredQuestion).order_by(
                    UnansweredQuestion.count.desc(), UnansweredQuestion.last_seen.desc()
                )
            ).scalars()
        )
        session.expunge_all()
    grouped: dict[str, list[UnansweredQuestion]] = defaultdict(list)
    for row in rows:
        grouped[row.topic or NO_TOPIC].append(row)
    topics = [(topic, sum(r.count for r in items), items) for topic, items in grouped.items()]
    return sorted(topics, key=lambda t: (-t[1], t[0]))


@router.get("/content")
async def content_view(request: Request, principal: Admin) -> Response:
    kb = await run_in_threadpool(toolkit.knowledge_base, request)
    today = date.today()
    limit = today - timedelta(days=stale_days())
    stale = sorted(
        (e for e in kb.entries() if e.verified < limit or e.verification != "sources-read"),
        key=lambda e: (e.verified, e.id),
    )
    return render(
        request,
        "content.html",
        {
            "topics": unanswered_by_topic(),
            "per_topic": QUESTIONS_PER_TOPIC,
            "stale": stale,
            "limit": limit,
            "today": today,
            "flags": flags.open_flags(),
            "names": access.organisation_names(),
            "done": request.query_params.get("done") == "flag_resolved",
        },
        principal=principal,
    )


@router.post("/content/flags/{flag_id}/resolve")
async def resolve_flag(flag_id: int, request: Request, principal: Admin) -> Response:
    await checked_form(request, principal)
    if not flags.resolve_flag(flag_id, by=principal.username):
        raise PageNotFound()
    return redirect("/content?done=flag_resolved")


@router.post("/dossiers/{reference}/flags")
async def flag_answer(reference: str, request: Request, principal: User) -> Response:
    form = await checked_form(request, principal)
    try:
        changes.require(principal, reference)
    except changes.NotAccessibleError:
        raise PageNotFound() from None
    index = str(form.get("message_index") or "")
    try:
        flags.flag_answer(
            reference,
            int(index) if index.isdigit() else -1,
            str(form.get("kind") or ""),
            str(form.get("comment") or ""),
            by=principal.username,
        )
    except InvalidRequestError:
        return redirect(f"/dossiers/{reference}?error=flag")
    return redirect(f"/dossiers/{reference}?done=answer_flagged#transcript-h")
