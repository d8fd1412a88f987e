"""The daily reminder of due follow-ups.

One email per organisation (its intake address, or the shared intake for the shared queue) lists
the open dossiers whose follow-up date has come.

Only references, dates and assignees' usernames go in, never the person's details. The email is
sent at once through the notifier's transport (SMTP, or .eml files in var/mail when SMTP_HOST is
unset); when the server cannot be reached the scheduler tries again an hour later.

``python -m handoff.reminders`` runs it every day at ``HANDOFF_REMINDER_HOUR`` (local time, 7 by
default); ``--once`` sends today's reminders and exits.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import defaultdict
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from appdb import utcnow
from handoff.config import console_base_url, mail_sender, shared_intake
from handoff.messages import SHARED_QUEUE_NAME, TEMPLATES
from handoff.models import HandoffDossier, Organisation
from handoff.notify import Transport, transport_from_env
from handoff.records import intake_address, store_session

log = logging.getLogger("handoff.reminders")
TIMEZONE = ZoneInfo("America/Montreal")
DEFAULT_HOUR = 7


def reminder_hour() -> int:
    """Local hour of the daily reminders (``HANDOFF_REMINDER_HOUR``; the default if malformed)."""
    value = os.environ.get("HANDOFF_REMINDER_HOUR", "").strip()
    hour = int(value) if value.isdigit() else DEFAULT_HOUR
    return hour if 0 <= hour <= 23 else DEFAULT_HOUR


def due_by_recipient(today: date) -> dict[tuple[str, str], list[tuple[str, date, str | None]]]:
    """Open dossiers whose follow-up date is today or past, grouped by recipient.

    Returns:
        (recipient, organisation name) -> [(reference, follow-up date, assignee)].
    """
    grouped: dict[tuple[str, str], list[tuple[str, date, str | None]]] = defaultdict(list)
    with store_session() as session:
        rows = session.execute(
            select(HandoffDossier, Organisation)
            .outerjoin(Organisation, Organisation.key == HandoffDossier.organisation_key)
            .where(HandoffDossier.follow_up_date.is_not(None))
            .where(HandoffDossier.follow_up_date <= today)
            .where(HandoffDossier.status != "closed")
            .order_by(HandoffDossier.follow_up_date, HandoffDossier.id)
        ).all()
        for dossier, organisation in rows:
            if dossier.queue == "shared" or organisation is None:
                key = (shared_intake(), SHARED_QUEUE_NAME)
            else:
                key = (intake_address(organisation), organisation.name)
            grouped[key].append((dossier.reference, dossier.follow_up_date, dossier.assignee))
    return dict(grouped)


def compose(organisation: str, items: list[tuple[str, date, str | None]]) -> tuple[str, str]:
    """The (subject, body) of one organisation's reminder, one line per due dossier."""
    text = (TEMPLATES / "follow_up_reminder.txt").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    subject = first[len("Subject: ") :]
    lines = "\n".join(
        f"- {reference} — {day.isoformat()}" + (f" — {assignee}" if assignee else "")
        for reference, day, assignee in items
    )
    values = {
        "organisation": organisation,
        "count": len(items),
        "lines": lines,
        "link": f"{console_base_url()}/follow-ups",
    }
    return subject.format(**values), body.lstrip("\n").format(**values)


def send_reminders(today: date | None = None, transport: Transport | None = None) -> int:
    """Send today's reminders; returns how many emails were sent."""
    today = today or datetime.now(TIMEZONE).date()
    transport = transport or transport_from_env()
    sender = getattr(transport, "sender", mail_sender())
    sent = 0
    for (recipient, organisation), items in due_by_recipient(today).items():
        subject, body = compose(organisation, items)
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = format_datetime(utcnow())
        message["X-Coopilote-Reference"] = f"reminder-{today.isoformat()}"
        message.set_content(body)
        transport.send(message)
        sent += 1
        log.info("follow-up reminder sent: %d dossiers", len(items))
    return sent


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m handoff.reminders``; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m handoff.reminders", description=__doc__)
    parser.add_argument("--once", action="store_true", help="send today's reminders and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.once:
        print(send_reminders())
        return 0
    # The privacy package's daily loop: same signals, same retry an hour later on failure.
    from privacy.scheduler import run_forever

    run_forever(hour=reminder_hour(), action=send_reminders, name="follow-up reminders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
