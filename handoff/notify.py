"""The outbox worker: sends due notifications and reschedules failures with back-off.

A row is claimed (its next attempt pushed past a lease) before sending, so two notifiers never
send the same email at once, and no transaction stays open during a slow SMTP exchange.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select, update

from appdb import utcnow
from handoff.config import SmtpSettings, mail_dir, mail_sender, smtp_settings
from handoff.files import dossier_file_name, other_file_name
from handoff.models import HandoffDossier, NotificationOutbox
from handoff.records import store_session

log = logging.getLogger("handoff.notify")

# HANDOFF_RETRY_BASE_S shortens the first delay (tests, or an operator draining a backlog).
BASE_DELAY_S = float(os.environ.get("HANDOFF_RETRY_BASE_S", "30"))
MAX_DELAY_S = 3600
# About a day of retries at the cap; then the row is `failed`, visible, and retried by an admin.
MAX_ATTEMPTS = 30
# Longer than an SMTP exchange with its 10 s connect timeout, so a claim outlives the send.
CLAIM_LEASE = timedelta(minutes=5)
SMTPS_PORT = 465


class Transport(Protocol):
    """Something that sends an email: SMTP, a directory of .eml files, or a test's fake."""

    def send(self, message: EmailMessage) -> None:
        """Send ``message``; any exception means not sent (it will be retried)."""


@dataclass(frozen=True)
class DeliveryCounts:
    """What one delivery round did: sent, to be retried later, failed for good."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """Delay after the ``attempts``-th consecutive failure (1-based): 30 s, 60 s, … ≤ 1 h."""
    return timedelta(seconds=min(BASE_DELAY_S * 2 ** max(attempts - 1, 0), MAX_DELAY_S))


class SmtpTransport:
    """Sends through an SMTP server: implicit TLS on port 465, STARTTLS when asked, login if set."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    @classmethod
    def from_env(cls) -> SmtpTransport:
        """The transport of the ``SMTP_*`` settings.

        Raises:
            RuntimeError: ``SMTP_HOST`` is not set.
        """
        settings = smtp_settings()
        if settings is None:
            raise RuntimeError("SMTP_HOST is not set")
        return cls(settings)

    @property
    def sender(self) -> str:
        """The From address (``SMTP_FROM``)."""
        return self.settings.sender

    def send(self, message: EmailMessage) -> None:
        """Send ``message`` over one new connection; SMTP and network errors propagate."""
        s = self.settings
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if s.port == SMTPS_PORT:
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        with client:
            if s.starttls and s.port != SMTPS_PORT:
                client.starttls(context=context)
            if s.user:
                client.login(s.user, s.password or "")
            client.send_message(message)


class DirectoryTransport:
    """Writes each email as an .eml file: the local default, so that nothing is lost offline."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or mail_dir()
        self.sender = mail_sender()

    def send(self, message: EmailMessage) -> None:
        """Write ``message`` to the directory, named after its dossier for erasures to find."""
        self.directory.mkdir(parents=True, exist_ok=True)
        reference = str(message["X-Coopilote-Reference"] or "")
        if reference.startswith("CP-"):
            name = dossier_file_name(reference, ".eml")
        else:  # a message about no single dossier (the daily follow-up reminder)
            name = other_file_name("message", ".eml")
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(message.as_bytes())
        # A reader of the directory never sees half a file.
        temporary.replace(self.directory / name)


def transport_from_env() -> Transport:
    """SMTP when ``SMTP_HOST`` is set, otherwise .eml files in the mail directory."""
    settings = smtp_settings()
    return SmtpTransport(settings) if settings is not None else DirectoryTransport()


def build_message(row: NotificationOutbox, reference: str, sender: str) -> EmailMessage:
    """The email of an outbox row, with its attachment if any.

    Its Message-ID is stable per row, and the dossier's reference is in a header so that a saved
    copy can be named after it.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(utcnow())
    # Stable per outbox row, so a recipient can drop a duplicate after a lost acknowledgement.
    message["Message-ID"] = f"<outbox-{row.id}.{reference}@coopilote.local>"
    message["X-Coopilote-Reference"] = reference
    message.set_content(row.body)
    if row.attachment:
        # An orientation sheet for the person (handoff.sheets); notifications have none.
        message.add_attachment(
            row.attachment,
            maintype="application",
            subtype="pdf",
            filename=row.attachment_name or "coopilote.pdf",
        )
    return message


def _due_ids(now: datetime, batch: int) -> list[int]:
    with store_session() as session:
        query = (
            select(NotificationOutbox.id)
            .where(NotificationOutbox.status == "pending")
            .where(NotificationOutbox.next_attempt_at <= now)
            .order_by(NotificationOutbox.next_attempt_at, NotificationOutbox.id)
            .limit(batch)
        )
        return list(session.execute(query).scalars())


def _claim(row_id: int, now: datetime) -> tuple[NotificationOutbox, str] | None:
    with store_session() as session:
        claimed = session.execute(
            update(NotificationOutbox)
            .where(
                NotificationOutbox.id == row_id,
                NotificationOutbox.status == "pending",
                NotificationOutbox.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + CLAIM_LEASE)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            return None  # another notifier took it
        row = session.get(NotificationOutbox, row_id)
        assert row is not None
        reference = session.execute(
            select(HandoffDossier.reference).where(HandoffDossier.id == row.dossier_id)
        ).scalar_one()
        return row, reference


def _record(row_id: int, now: datetime, error: Exception | None) -> str:
    with store_session() as session:
        row = session.get(NotificationOutbox, row_id)
        assert row is not None
        if error is None:
            row.status, row.sent_at, row.last_error = "sent", now, None
            return "sent"
        row.attempts += 1
        row.last_error = type(error).__name__[:100]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        return "failed" if row.status == "failed" else "retrying"


def deliver_due(
    transport: Transport, now: datetime | None = None, batch: int = 20
) -> DeliveryCounts:
    """Send up to ``batch`` due notifications; ``StoreUnavailable`` propagates to the caller."""
    now = now or utcnow()
    sender = getattr(transport, "sender", "coopilote@localhost")
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for row_id in _due_ids(now, batch):
        claimed = _claim(row_id, now)
        if claimed is None:
            continue
        row, reference = claimed
        error: Exception | None = None
        try:
            transport.send(build_message(row, reference, sender))
        except Exception as caught:
            # Any failure, ours or the server's, is retried and ends visible as `failed`.
            error = caught
        outcome = _record(row_id, now, error)
        counts[outcome] += 1
        if error is None:
            log.info("notification %s for dossier %s sent", row_id, reference)
        else:
            # The class name only: SMTP replies and OS errors can quote the recipient.
            log.log(
                logging.ERROR if outcome == "failed" else logging.WARNING,
                "notification %s for dossier %s not sent (%s): %s",
                row_id,
                reference,
                type(error).__name__,
                outcome,
            )
    return DeliveryCounts(**counts)


def retry_failed(now: datetime | None = None) -> int:
    """Admin command: put every `failed` notification back in the queue, due now."""
    now = now or utcnow()
    with store_session() as session:
        result = session.execute(
            update(NotificationOutbox)
            .where(NotificationOutbox.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)


def outbox_counts() -> dict[str, int]:
    """How many notifications are in each status (pending, sent, failed)."""
    with store_session() as session:
        rows = session.execute(
            select(NotificationOutbox.status, func.count()).group_by(NotificationOutbox.status)
        ).all()
    return {status: int(count) for status, count in rows}
