"""CSV exports that open in a French-language spreadsheet and cannot run formulas.

UTF-8 with a byte-order mark (Excel then reads the accents right) and ``;`` as the separator
(what French-locale spreadsheets expect, since their decimal mark is the comma). A cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that
a spreadsheet shows it as text (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from console.advisor.i18n import Translator
from handoff.dossier import DossierView

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()


def coop_fit(dossier: DossierView) -> str | None:
    verdict = (dossier.screening_summary or {}).get("verdict")
    if isinstance(verdict, dict):
        return verdict.get("coop_fit")
    return verdict if isinstance(verdict, str) else None


LIST_COLUMNS = (
    "reference",
    "created_at",
    "status",
    "language",
    "region",
    "organisation",
    "queue",
    "trigger",
    "reason",
    "assignee",
    "coop_fit",
    "contact_method",
    "contact_value",
    "availability",
    "project_summary",
    "referred_to",
    "follow_up_date",
    "outcome",
)


def _list_values(t: Translator, dossier: DossierView, names: dict[str, str]) -> list[Any]:
    return [
        dossier.reference,
        t.datetime(dossier.created_at),
        t.maybe("status", dossier.status),
        t.maybe("language", dossier.language),
        t.maybe("region", dossier.region_code),
        names.get(dossier.organisation_key or "", dossier.organisation_key or ""),
        t.maybe("queue", dossier.queue),
        t.maybe("trigger", dossier.trigger),
        t.maybe("reason", dossier.reason),
        dossier.assignee,
        t.maybe("fit", coop_fit(dossier)),
        t.maybe("contact", dossier.contact_method),
        dossier.contact_value,
        dossier.availability,
        dossier.project_summary,
        dossier.referred_to,
        t.date(dossier.follow_up_date),
        t.maybe("outcome", dossier.outcome),
    ]


def dossier_list_csv(t: Translator, dossiers: Iterable[DossierView], names: dict[str, str]) -> str:
    header = [t(f"field.{column}") for column in LIST_COLUMNS]
    return to_csv([header, *(_list_values(t, d, names) for d in dossiers)])


def dossier_csv(t: Translator, dossier: DossierView, names: dict[str, str]) -> str:
    """One dossier, one line per fact: section; field; value."""
    rows: list[list[Any]] = [[t("csv.section"), t("csv.field"), t("csv.value")]]
    dossier_section = t("section.dossier")
    for column, value in zip(LIST_COLUMNS, _list_values(t, dossier, names), strict=True):
        rows.append([dossier_section, t(f"field.{column}"), value])
    screening = dossier.screening_summary or {}
    answers = screening.get("answers")
    if isinstance(answers, dict):
        for name, value in answers.items():
            rows.append([t("section.screening"), t.maybe("answer", name), value])
    for consent in dossier.consents:
        state = t("consent.granted") if consent.granted else t("consent.refused")
        if consent.withdrawn_at:
            state = t("consent.withdrawn_on", when=t.datetime(consent.withdrawn_at))
        rows.append([t("section.consent"), t.maybe("purpose", consent.purpose), state])
    for note in dossier.notes:
        who = f"{t.datetime(note.created_at)} — {note.author}"
        rows.append([t("section.notes"), who, note.text])
    for message in dossier.transcript or []:
        who = f"{message.get('at') or ''} — {t.maybe('who', message.get('who'))}"
        rows.append([t("section.transcript"), who, message.get("text")])
    return to_csv(rows)
