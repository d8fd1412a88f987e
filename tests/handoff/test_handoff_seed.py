"""Seeding organisations from the knowledge base's resource files, never inventing an address."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

import appdb
from handoff.models import Organisation
from handoff.seed import (
    INTAKE_FILE,
    RESOURCE_DIR,
    SeedError,
    main,
    read_intake,
    read_resources,
    seed,
)


def organisations() -> dict[str, Organisation]:
    with appdb.session_scope() as session:
        return {o.key: o for o in session.execute(select(Organisation)).scalars()}


def test_shipped_intake_file_invents_no_address() -> None:
    intake = read_intake(INTAKE_FILE)
    resource_ids = {r["id"] for r in read_resources(RESOURCE_DIR)}
    assert set(intake) == resource_ids
    assert all(address is None for address in intake.values())


def test_seed_the_real_resources(sqlite_db, monkeypatch) -> None:
    monkeypatch.setenv("HANDOFF_INTAKE_CDRQ", "  Accueil@CDRQ.example ")
    assert main([]) == 0
    rows = organisations()
    assert {"cdrq", "cdrq-montreal-laval", "promis", "carrefours-jeunesse-emploi"} <= set(rows)
    assert rows["cdrq"].intake_email == "Accueil@cdrq.example"
    assert rows["promis"].intake_email is None
    assert rows["cdrq-montreal-laval"].name == "CDRQ – Bureau de Montréal-Laval"
    assert all(o.active and not o.on_console for o in rows.values())


def test_seed_is_an_upsert_that_deactivates_vanished_resources(sqlite_db, tmp_path) -> None:
    resources = [
        {"id": "cdrq", "title": {"fr": "CDRQ"}},
        {"id": "promis", "title": {"fr": "PROMIS"}},
    ]
    first = seed(resources, {"promis": "accueil@promis.example"})
    assert (first.added, first.updated, first.deactivated, first.with_intake) == (2, 0, 0, 1)
    with appdb.session_scope() as session:
        session.get(Organisation, "cdrq").on_console = True  # set by the console, kept by seeds
    again = seed(resources, {"promis": "accueil@promis.example"})
    assert (again.added, again.updated, again.deactivated) == (0, 0, 0)
    renamed = seed([{"id": "cdrq", "title": {"fr": "CDRQ (siège)"}}], {})
    assert (renamed.updated, renamed.deactivated) == (1, 1)
    rows = organisations()
    assert rows["cdrq"].name == "CDRQ (siège)" and rows["cdrq"].on_console
    assert not rows["promis"].active  # kept for the dossiers that name it


def test_a_bad_intake_address_fails_loudly(sqlite_db, tmp_path: Path, capsys) -> None:
    intake = tmp_path / "intake.yml"
    intake.write_text(yaml.safe_dump({"intake": {"cdrq": "not an address"}}))
    assert main(["--intake", str(intake)]) == 1
    error = capsys.readouterr().err
    assert str(intake) in error and "cdrq" in error and "email_malformed" in error


def test_a_resource_without_title_fails_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("kind: resource\nid: x\n")
    with pytest.raises(SeedError, match=r"x\.yml: title: required"):
        read_resources(tmp_path)
