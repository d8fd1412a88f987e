"""Validate the content files and mirror them into the app database in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, inspect, select

from appdb import get_engine, session_scope, utcnow
from knowledge_base.models import KnowledgeEntryRow
from knowledge_base.schema import Entry
from knowledge_base.validation import load_directory

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass
class SyncReport:
    """The entry ids a sync added, updated, removed and left unchanged."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the sync wrote anything."""
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """One line for the command's output."""
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"removed {len(self.removed)}, unchanged {len(self.unchanged)}"
        )


def document_of(entry: Entry) -> dict:
    """The entry as a JSON document, as stored in ``kb_entry`` (empty fields left out)."""
    # mode="json" turns dates into ISO text so the document fits any JSON column.
    return entry.model_dump(mode="json", exclude_none=True)


def content_hash(document: dict, source_file: str) -> str:
    """A hash of the document and its file, to tell an updated entry from an unchanged one."""
    canonical = json.dumps([document, source_file], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _relative(path: str, root: Path) -> str:
    # Store paths relative to the content folder so that two checkouts produce the same rows.
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def check_tables_exist() -> None:
    """Fail early, with the command to run, when the database was not migrated.

    Raises:
        RuntimeError: the ``kb_entry`` table is missing.
    """
    if not inspect(get_engine()).has_table(KnowledgeEntryRow.__tablename__):
        raise RuntimeError(
            "table kb_entry is missing: run `python -m appdb.migrate` on this database first"
        )


def sync(content_dir: Path = CONTENT_DIR) -> SyncReport:
    """Make the ``kb_entry`` table equal to the files; validation errors abort before any write."""
    entries = load_directory(content_dir)
    check_tables_exist()
    report = SyncReport()
    with session_scope() as session:
        rows = {row.id: row for row in session.execute(select(KnowledgeEntryRow)).scalars()}
        seen: set[str] = set()
        for entry, path in entries:
            seen.add(entry.id)
            source = _relative(path, content_dir)
            document = document_of(entry)
            digest = content_hash(document, source)
            row = rows.get(entry.id)
            if row is None:
                session.add(
                    KnowledgeEntryRow(
                        id=entry.id,
                        kind=entry.kind,
                        topic=entry.topic,
                        document=document,
                        content_hash=digest,
                        verified=entry.verified,
                        source_file=source,
                        updated_at=utcnow(),
                    )
                )
                report.added.append(entry.id)
            elif row.content_hash != digest:
                row.kind, row.topic, row.document = entry.kind, entry.topic, document
                row.content_hash, row.verified, row.source_file = digest, entry.verified, source
                row.updated_at = utcnow()
                report.updated.append(entry.id)
            else:
                report.unchanged.append(entry.id)
        gone = sorted(set(rows) - seen)
        if gone:
            session.execute(delete(KnowledgeEntryRow).where(KnowledgeEntryRow.id.in_(gone)))
        report.removed.extend(gone)
    return report


def stale_entries(
    content_dir: Path = CONTENT_DIR, days: int = 365, today: date | None = None
) -> list[tuple[Entry, str]]:
    """Entries (with their file) whose facts were last checked more than ``days`` ago."""
    limit = (today or date.today()) - timedelta(days=days)
    found = [(e, p) for e, p in load_directory(content_dir) if e.verified < limit]
    return sorted(found, key=lambda pair: (pair[0].verified, pair[0].id))
