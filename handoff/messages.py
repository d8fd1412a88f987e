"""The advisors' notification emails, composed from the templates in ``handoff/templates/``.

Only the reference, the organisation, the language and a console link go in: an email leaves our
control, so the person's details stay behind the console's sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import catalogues
from handoff.config import dossier_link

TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = ("new_dossier", "transferred")
TEXTS_FILE = Path(__file__).resolve().parent / "texts.yml"
_TEXTS = catalogues.load(TEXTS_FILE)
SHARED_QUEUE_NAME = f"{_TEXTS['shared_queue']['fr']} / {_TEXTS['shared_queue']['en']}"
_LANGUAGE_NAMES = {
    code: (str(names["fr"]), str(names["en"])) for code, names in _TEXTS["languages"].items()
}


@dataclass(frozen=True)
class Notification:
    """An email's subject and body, ready for the outbox."""

    subject: str
    body: str


@cache
def _template(kind: str) -> tuple[str, str]:
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    text = (TEMPLATES / f"{kind}.txt").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"{kind}.txt must start with a 'Subject: ' line")
    return first[len("Subject: ") :], body.lstrip("\n")


def compose(
    kind: str, reference: str, organisation_name: str | None, language: str
) -> Notification:
    """The notification ``kind`` about a dossier, filled from its template.

    It carries the reference, the organisation (the shared queue when None), the person's
    language and the console link; never the person's details.

    Raises:
        ValueError: ``kind`` is unknown or its template has no ``Subject:`` line.
    """
    subject, body = _template(kind)
    language_fr, language_en = _LANGUAGE_NAMES[language]
    values = {
        "reference": reference,
        "organisation": organisation_name or SHARED_QUEUE_NAME,
        "language_fr": language_fr,
        "language_en": language_en,
        "link": dossier_link(reference),
    }
    return Notification(subject=subject.format(**values), body=body.format(**values))
