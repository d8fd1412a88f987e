"""The advisor's due follow-ups and the report of handoffs (page, chart, CSV export)."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from console.advisor import access, exports, reports
from console.advisor.i18n import TIMEZONE
from console.advisor.web import NO_STORE, User, render, translator
from console.auth.sessions import Principal

router = APIRouter(include_in_schema=False)


def _today() -> date:
    return datetime.now(TIMEZONE).date()


@router.get("/follow-ups")
async def follow_ups(request: Request, principal: User) -> Response:
    today = _today()
    items = reports.follow_ups(principal, today)
    mine_only = request.query_params.get("mine") == "1"
    if mine_only:
        items = [item for item in items if item.assignee == principal.username]
    return render(
        request,
        "follow_ups.html",
        {
            "today": today,
            "due": [item for item in items if item.follow_up_date <= today],
            "upcoming": [item for item in items if item.follow_up_date > today],
            "mine_only": mine_only,
            "names": access.organisation_names(),
            "days": reports.UPCOMING_DAYS,
        },
        principal=principal,
    )


def _report_query(request: Request) -> tuple[str, date | None, date | None]:
    dimension = request.query_params.get("by", "organisation")
    if dimension not in reports.DIMENSIONS:
        dimension = "organisation"
    filters = access.InboxFilters.parse(request.query_params)
    return dimension, filters.date_from, filters.date_to


def _rows(
    request: Request, principal: Principal
) -> tuple[str, date | None, date | None, list[reports.ReportRow], list[str]]:
    dimension, date_from, date_to = _report_query(request)
    rows = reports.handoff_report(principal, dimension, date_from, date_to)
    t = translator(request)
    names = access.organisation_names()
    labels = [reports.label(t, dimension, row.key, names) for row in rows]
    return dimension, date_from, date_to, rows, labels


@router.get("/reports/handoffs")
async def report_page(request: Request, principal: User) -> Response:
    dimension, date_from, date_to, rows, labels = _rows(request, principal)
    query = {"by": dimension}
    if date_from:
        query["date_from"] = date_from.isoformat()
    if date_to:
        query["date_to"] = date_to.isoformat()
    return render(
        request,
        "report.html",
        {
            "dimension": dimension,
            "dimensions": reports.DIMENSIONS,
            "date_from": date_from,
            "date_to": date_to,
            "rows": list(zip(rows, labels, strict=True)),
            "outcomes": reports.OUTCOME_KEYS,
            "total": sum(row.count for row in rows),
            "chart_url": "/reports/handoffs/chart.svg?" + urlencode(query),
            "csv_url": "/reports/handoffs.csv?" + urlencode(query),
        },
        principal=principal,
    )


@router.get("/reports/handoffs/chart.svg")
async def report_chart(request: Request, principal: User) -> Response:
    _dimension, _from, _to, rows, labels = _rows(request, principal)
    body = reports.chart_svg(rows, labels, translator(request))
    return Response(body, media_type="image/svg+xml", headers=NO_STORE)


@router.get("/reports/handoffs.csv")
async def report_csv(request: Request, principal: User) -> Response:
    dimension, _from, _to, rows, labels = _rows(request, principal)
    t = translator(request)
    header = [
        t(f"report.by.{dimension}"),
        t("report.count"),
        t("report.contacted"),
        t("report.median_hours"),
        *[
            t("outcome.none") if o == reports.NO_OUTCOME else t.maybe("outcome", o)
            for o in reports.OUTCOME_KEYS
        ],
    ]
    body = exports.to_csv(
        [
            header,
            *[
                [
                    label,
                    row.count,
                    row.contacted,
                    _decimal(row.median_hours, t.lang),
                    *[row.outcomes.get(o, 0) for o in reports.OUTCOME_KEYS],
                ]
                for row, label in zip(rows, labels, strict=True)
            ],
        ]
    )
    headers = {
        **NO_STORE,
        "Content-Disposition": f'attachment; filename="handoffs-by-{dimension}.csv"',
    }
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)


def _decimal(value: float | None, lang: str) -> str:
    if value is None:
        return ""
    return str(value).replace(".", ",") if lang == "fr" else str(value)
