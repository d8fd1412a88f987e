"""The orientation sheet: a one-to-two-page PDF of a screening's result, in the client's language.

Drawn with fpdf2 (pure Python, maintained, embeds a Unicode TrueType font so « », é, œ and ’
print right). The font is DejaVu Sans as shipped inside matplotlib, which the console already
needs for its charts: no system font is assumed. Headings come from the console's catalogue,
everything else from ``screening.present`` and the knowledge base. Personal data appear only
when the advisor passes them (the client's name, the project's description, the reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from console.advisor.i18n import Translator
from screening.presentation import Presentation

MAX_RESOURCES = 6
MAX_SOURCES = 10


@dataclass(frozen=True)
class SheetOptions:
    """What the advisor chose to print beyond the result itself (all off by default)."""

    organisation_name: str | None = None
    client_name: str | None = None
    project: str | None = None
    reference: str | None = None


def build_sheet(
    shown: Presentation, t: Translator, options: SheetOptions, today: date | None = None
) -> bytes:
    """The PDF's bytes; ``t`` speaks the client's language (``shown.lang``)."""
    today = today or date.today()
    # fpdf2 and matplotlib's font (about 60 MiB) are loaded at the first sheet, not with the app.
    from console.advisor.sheet_pdf import ACCENT, FONT, INK, MUTED, Sheet

    pdf = Sheet(t("sheet.footer"))
    pdf.set_title(t("sheet.title"))
    pdf.set_lang("fr-CA" if shown.lang == "fr" else "en-CA")
    pdf.set_creator("Coopilote")
    pdf.add_page()

    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 8, t("sheet.title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, "", 8.5)
    header = [t.date(today)]
    if options.organisation_name:
        header.append(options.organisation_name)
    if options.reference:
        header.append(options.reference)
    pdf.multi_cell(0, 4.5, " · ".join(header), new_x="LMARGIN", new_y="NEXT")
    if options.client_name:
        pdf.multi_cell(
            0, 4.5, t("sheet.prepared_for", name=options.client_name), new_x="LMARGIN", new_y="NEXT"
        )
    pdf.set_text_color(*INK)
    pdf.ln(1)
    pdf.paragraph(t("sheet.intro"), size=8.5)
    if options.project:
        pdf.heading(t("sheet.project"))
        pdf.paragraph(options.project)

    pdf.heading(t("sheet.verdict"))
    pdf.paragraph(t(f"screen.fit.{shown.coop_fit}"), bold=True)
    if shown.reasons:
        pdf.bullets([reason.text for reason in shown.reasons])

    pdf.heading(t("sheet.coop_type"))
    if shown.coop_type_name:
        pdf.paragraph(shown.coop_type_name[:1].upper() + shown.coop_type_name[1:], bold=True)
        if shown.coop_type_meaning:
            pdf.paragraph(shown.coop_type_meaning)
    else:
        pdf.paragraph(t("screen.no_type"))

    if shown.to_settle:
        pdf.heading(t("sheet.to_settle"))
        pdf.bullets(shown.to_settle)
    if shown.next_steps:
        pdf.heading(t("sheet.next_steps"))
        pdf.bullets(shown.next_steps)

    pdf.heading(
        t("sheet.organisations_region", region=shown.region_name)
        if shown.region_name
        else t("sheet.organisations")
    )
    if not shown.resources:
        pdf.paragraph(t("screen.no_organisations"))
    for resource in shown.resources[:MAX_RESOURCES]:
        pdf.paragraph(resource.text("title", shown.lang), size=9, bold=True)
        contact = resource.contact
        parts = []
        if resource.services:
            parts.append(resource.items("services", shown.lang)[0])
        if contact is not None:
            parts += [value for value in (contact.url, contact.email, contact.phone) if value]
        if parts:
            pdf.paragraph(" — ".join(parts), size=8.5)

    if shown.sources:
        pdf.heading(t("sheet.sources"))
        pdf.bullets([f"{s.title} — {s.url}" for s in shown.sources[:MAX_SOURCES]], size=7)
    pdf.ln(1)
    pdf.set_text_color(*MUTED)
    pdf.paragraph(t("sheet.disclaimer", version=shown.verdict.table_version), size=7.5)
    return bytes(pdf.output())


def sheet_filename(t: Translator, today: date | None = None) -> str:
    return f"{t('sheet.filename')}-{(today or date.today()).isoformat()}.pdf"
