"""The advisors' changes to a dossier, checked once for the pages and the API alike.

Access is checked first (a dossier of another organisation is "not found"), then the value
against its business limits (ASVS 2.2), then the store writes the change and its audit event.
"""

from __future__ import annotations

from datetime import date

from console.advisor import access
from console.auth.sessions import Principal
from handoff import store
from handoff.changes import KEEP, MAX_NOTE
from handoff.dossier import DossierNotFoundError, DossierView, InvalidRequestError, NoteView
from handoff.models import OUTCOMES, PURPOSES, STATUSES

MAX_REFERRED_TO = 200
# The fields a refusal can name (shown as a translated message).
FIELDS = (
    "status",
    "assignee",
    "organisation",
    "referred_to",
    "follow_up_date",
    "text",
    "purpose",
    "withdraw_confirm",
    "outcome",
    "email",
    "consent",
    "answers",
    "flag",
)


class NotAccessibleError(LookupError):
    pass


class ChangeRefusedError(ValueError):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def require(principal: Principal, reference: str) -> access.DossierRef:
    found = access.find(principal, reference)
    if found is None:
        raise NotAccessibleError(reference)
    return found


def read(principal: Principal, reference: str) -> DossierView:
    """The full dossier, leaving a "viewed" event in the audit trail."""
    require(principal, reference)
    try:
        return store.get_dossier(reference, viewer=principal.username)
    except DossierNotFoundError:
        raise NotAccessibleError(reference) from None


def set_status(principal: Principal, reference: str, status: str) -> DossierView:
    require(principal, reference)
    if status not in STATUSES:
        raise ChangeRefusedError("status")
    return store.update_status(reference, status, by=principal.username)


def set_assignee(principal: Principal, reference: str, assignee: str | None) -> DossierView:
    found = require(principal, reference)
    if assignee is not None and assignee not in access.assignees(found.organisation_key):
        raise ChangeRefusedError("assignee")
    return store.assign(reference, assignee, by=principal.username)


def set_organisation(principal: Principal, reference: str, key: str | None) -> DossierView:
    """Transfer; ``None`` sends the dossier to the shared queue."""
    require(principal, reference)
    if key is not None and key not in dict(access.organisations()):
        raise ChangeRefusedError("organisation")
    try:
        return store.transfer(reference, key, by=principal.username)
    except InvalidRequestError:
        raise ChangeRefusedError("organisation") from None


def set_outcome(
    principal: Principal,
    reference: str,
    referred_to: str | None,
    follow_up: date | None,
    outcome: str | None = KEEP,
) -> DossierView:
    require(principal, reference)
    referred_to = (referred_to or "").strip() or None
    if referred_to is not None and len(referred_to) > MAX_REFERRED_TO:
        raise ChangeRefusedError("referred_to")
    if outcome not in (KEEP, None, *OUTCOMES):
        raise ChangeRefusedError("outcome")
    return store.record_outcome(
        reference,
        referred_to=referred_to,
        follow_up_date=follow_up,
        outcome=outcome,
        by=principal.username,
    )


def add_note(principal: Principal, reference: str, text: str) -> NoteView:
    require(principal, reference)
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise ChangeRefusedError("text")
    return store.add_note(reference, text, by=principal.username)


def withdraw_consent(principal: Principal, reference: str, purpose: str) -> DossierView:
    """Record that the person withdrew this consent; the store erases what it covered."""
    require(principal, reference)
    if purpose not in PURPOSES:
        raise ChangeRefusedError("purpose")
    return store.withdraw_consent(reference, purpose, by=principal.username)


def parse_date(value: str | None) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ChangeRefusedError("follow_up_date") from None
