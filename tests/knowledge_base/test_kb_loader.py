"""The loader mirrors the files into the app database: idempotent, one transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from appdb import session_scope
from knowledge_base.__main__ import main
from knowledge_base.loader import stale_entries, sync
from knowledge_base.models import KnowledgeEntryRow
from knowledge_base.schema import ContentError
from knowledge_base.search import KnowledgeBase


def _rows() -> dict[str, KnowledgeEntryRow]:
    with session_scope() as session:
        return {r.id: r for r in session.execute(select(KnowledgeEntryRow)).scalars()}


def test_first_load_adds_everything(sqlite_db, content_copy: Path):
    report = sync(content_copy)
    files = sorted(p.stem for p in content_copy.rglob("*.yml"))
    assert sorted(report.added) == files
    assert not (report.updated or report.removed or report.unchanged)
    row = _rows()["reserve-rule"]
    assert row.kind == "rule" and row.topic == "money"
    assert row.verified == date(2024, 1, 15)
    assert row.source_file == "rule/reserve-rule.yml"
    assert row.document["title"]["en"] == "The mandatory reserve"
    assert row.updated_at.tzinfo is not None


def test_second_load_changes_nothing(sqlite_db, content_copy: Path):
    sync(content_copy)
    before = {k: (r.content_hash, r.updated_at) for k, r in _rows().items()}
    report = sync(content_copy)
    assert not report.changed
    assert len(report.unchanged) == len(before)
    assert {k: (r.content_hash, r.updated_at) for k, r in _rows().items()} == before


def test_modified_file_updates_one_entry(sqlite_db, content_copy: Path):
    sync(content_copy)
    path = content_copy / "rule" / "reserve-rule.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("The mandatory reserve", "The legal reserve"),
        encoding="utf-8",
    )
    report = sync(content_copy)
    assert report.updated == ["reserve-rule"]
    assert not (report.added or report.removed)
    assert _rows()["reserve-rule"].document["title"]["en"] == "The legal reserve"


def test_deleted_file_removes_one_entry(sqlite_db, content_copy: Path):
    sync(content_copy)
    (content_copy / "program" / "startup-grant.yml").unlink()
    report = sync(content_copy)
    assert report.removed == ["startup-grant"]
    assert not (report.added or report.updated)
    assert "startup-grant" not in _rows()


def test_invalid_content_writes_nothing(sqlite_db, content_copy: Path):
    sync(content_copy)
    (content_copy / "program" / "startup-grant.yml").unlink()
    (content_copy / "concept" / "broken.yml").write_text("id: broken\n", encoding="utf-8")
    with pytest.raises(ContentError):
        sync(content_copy)
    assert "startup-grant" in _rows()


def test_database_and_files_give_the_same_entries(sqlite_db, content_copy: Path):
    sync(content_copy)
    from_db = KnowledgeBase.from_database()
    from_files = KnowledgeBase.from_directory(content_copy)
    assert {e.id: e for e in from_db.entries()} == {e.id: e for e in from_files.entries()}
    hit = from_db.best("réserve obligatoire", "fr")
    assert hit is not None
    assert hit.entry_id == "reserve-rule"


def test_load_without_tables_says_to_migrate(tmp_path: Path, monkeypatch, content_copy: Path):
    import appdb

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    appdb.reset_engine()
    try:
        with pytest.raises(RuntimeError, match="appdb.migrate"):
            sync(content_copy)
    finally:
        appdb.reset_engine()


def test_stale_lists_old_entries(content_copy: Path):
    stale = stale_entries(content_copy, days=365, today=date(2026, 11, 26))
    assert [e.id for e, _ in stale] == ["reserve-rule"]


@pytest.mark.parametrize(
    ("argv", "code", "expected"),
    [
        (["check"], 0, "14 entries valid"),
        (["load"], 0, "added 14, updated 0, removed 0, unchanged 0"),
        (["stale", "--days", "30000"], 0, "1 entries to re-check"),
        (["report"], 0, "14 entries, 14 primary and 0 secondary sources (100% primary)"),
    ],
)
def test_command_line(sqlite_db, content_copy: Path, capsys, argv, code, expected):
    assert main([*argv, "--content", str(content_copy)]) == code
    assert expected in capsys.readouterr().out


def test_command_line_load_twice_and_errors(sqlite_db, content_copy: Path, capsys):
    main(["load", "--content", str(content_copy)])
    main(["load", "--content", str(content_copy)])
    assert "added 0, updated 0, removed 0, unchanged 14" in capsys.readouterr().out
    (content_copy / "concept" / "broken.yml").write_text("id: broken\n", encoding="utf-8")
    assert main(["check", "--content", str(content_copy)]) == 1
    err = capsys.readouterr().err
    assert "broken.yml: kind:" in err


def test_rows_count_matches_files(sqlite_db, content_copy: Path):
    sync(content_copy)
    with session_scope() as session:
        count = session.execute(select(func.count()).select_from(KnowledgeEntryRow)).scalar_one()
    assert count == len(list(content_copy.rglob("*.yml")))
