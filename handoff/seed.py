"""Upsert the receiving organisations from the knowledge base: ``python -m handoff.seed``.

Organisations are the resources in ``knowledge_base/content/resource/*.yml``, read and validated
by the knowledge base's own loader (``knowledge_base.validation``). Intake addresses come from
``HANDOFF_INTAKE_<KEY>`` or ``handoff/intake.yml``; none is ever invented. Resources that
disappeared are deactivated, not deleted, because dossiers refer to them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from appdb import utcnow
from handoff.config import PROJECT_ROOT, intake_from_env
from handoff.contact import InvalidContactError, normalise_email
from handoff.dossier import StoreUnavailable
from handoff.models import Organisation
from handoff.records import store_session

log = logging.getLogger("handoff.seed")
RESOURCE_DIR = PROJECT_ROOT / "knowledge_base" / "content" / "resource"
INTAKE_FILE = Path(__file__).resolve().parent / "intake.yml"


class SeedError(ValueError):
    """A resource or intake file cannot be used; the message names the file."""


@dataclass(frozen=True)
class SeedResult:
    """How many organisations a seed added, updated and deactivated, and how many have an intake."""

    added: int
    updated: int
    deactivated: int
    with_intake: int


def read_resources(directory: Path = RESOURCE_DIR) -> list[dict[str, Any]]:
    """The resource entries of ``directory`` as documents, validated by the knowledge base.

    Raises:
        SeedError: a file is not a valid entry; the message lists every problem with its path.
    """
    # Imported here: the knowledge base's models (pydantic) are needed only when seeding.
    from knowledge_base.loader import document_of
    from knowledge_base.schema import ContentError
    from knowledge_base.validation import load_entry_file

    resources, problems = [], []
    for path in sorted(directory.glob("*.yml")):
        try:
            resources.append(document_of(load_entry_file(path)))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise SeedError("\n".join(str(problem) for problem in problems))
    return resources


def read_intake(path: Path = INTAKE_FILE) -> dict[str, str | None]:
    """Organisation key -> intake address, from ``path`` (empty when the file does not exist).

    Raises:
        SeedError: ``intake`` is not a mapping.
    """
    if not path.exists():
        return {}
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    intake = document.get("intake") or {}
    if not isinstance(intake, dict):
        raise SeedError(f"{path}: intake: must map organisation keys to addresses")
    return {str(k): (str(v) if v else None) for k, v in intake.items()}


def _intake_for(key: str, intake: dict[str, str | None], source: str) -> str | None:
    address = intake_from_env(key) or intake.get(key)
    if address is None:
        return None
    try:
        return normalise_email(address)
    except InvalidContactError as error:
        raise SeedError(f"{source}: intake address of {key}: {error.code}") from None


def seed(
    resources: Iterable[dict[str, Any]], intake: dict[str, str | None], source: str = "intake"
) -> SeedResult:
    """Make the organisations table match ``resources``, in one transaction.

    Args:
        resources: The resource documents, each becoming an active organisation.
        intake: Addresses by organisation key; the environment's override them.
        source: Where ``intake`` was read, for error messages.

    Raises:
        SeedError: an intake address is not a valid email address.
    """
    added = updated = deactivated = with_intake = 0
    wanted = {str(r["id"]): r for r in resources}
    with store_session() as session:
        existing = {o.key: o for o in session.execute(select(Organisation)).scalars()}
        for key, resource in wanted.items():
            name = str(resource["title"]["fr"])[:200]
            address = _intake_for(key, intake, source)
            with_intake += address is not None
            row = existing.get(key)
            if row is None:
                session.add(Organisation(key=key, name=name, intake_email=address, active=True))
                added += 1
            elif (row.name, row.intake_email, row.active) != (name, address, True):
                row.name, row.intake_email, row.active = name, address, True
                row.updated_at = utcnow()
                updated += 1
        for key, row in existing.items():
            if key not in wanted and row.active:
                row.active = False
                deactivated += 1
    return SeedResult(added, updated, deactivated, with_intake)


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m handoff.seed``; the exit status (1 bad file, 2 database unavailable)."""
    parser = argparse.ArgumentParser(prog="python -m handoff.seed", description=__doc__)
    parser.add_argument("--resources", type=Path, default=RESOURCE_DIR)
    parser.add_argument("--intake", type=Path, default=INTAKE_FILE)
    args = parser.parse_args(argv)
    try:
        result = seed(read_resources(args.resources), read_intake(args.intake), str(args.intake))
    except SeedError as error:
        print(error, file=sys.stderr)
        return 1
    except StoreUnavailable:
        print("the app database is unavailable (run `python -m appdb.migrate`?)", file=sys.stderr)
        return 2
    print(
        f"organisations: {result.added} added, {result.updated} updated, "
        f"{result.deactivated} deactivated, {result.with_intake} with an intake address"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
