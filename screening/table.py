"""Loads the decision table (rules.yml) and checks it, so that a broken table fails at load time.

Every error names the row id and the field, like the knowledge-base loader does for its files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from screening.answers import CHOICES, COOP_FITS, DECISION_FIELDS, RECOMMENDED_TYPES
from screening.errors import TableError as TableError

TABLE_FILE = Path(__file__).resolve().parent / "rules.yml"
FROM_MEMBERS = "from_members"
VALUE_OPS = ("equals", "in")
MINIMUM_OPS = ("below_minimum", "minimum_to_confirm")
_ROW_KEYS = {"id", "when", "then", "reasons", "to_settle", "next_steps", "unless"}
_THEN_KEYS = {"coop_fit", "recommended_coop_type"}
_REASON_KEYS = {"code", "field", "kb_entry"}


@dataclass(frozen=True)
class Condition:
    """One condition of a row's ``when``: an answer field, an operator and its operand."""

    field: str
    op: str
    value: Any  # a value, a tuple of values (op "in") or a bool (minimum ops)


@dataclass(frozen=True)
class ReasonSpec:
    """A reason a row gives, as written in the table."""

    code: str
    field: str
    kb_entry: str | None


@dataclass(frozen=True)
class Row:
    """One row of the decision table: when it matches, and what it then decides and explains."""

    id: str
    when: tuple[Condition, ...]
    coop_fit: str | None
    recommended_coop_type: str | None
    reasons: tuple[ReasonSpec, ...]
    to_settle: tuple[str, ...]
    next_steps: tuple[str, ...]
    # Rows that make this one redundant when they match too (founding alone says more than
    # "below the minimum").
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """The decision table (rules.yml) as checked by ``parse_table``."""

    version: int
    member_types: Mapping[str, str]
    next_step_codes: tuple[str, ...]
    rows: tuple[Row, ...]
    # Next steps that make no sense once the co-op form is not recommended ("find partners for
    # the co-op" next to "a co-op is not the best form").
    not_when_weak: tuple[str, ...] = ()

    def reason_codes(self) -> set[str]:
        """Every reason code the rows can give (each needs its text in texts.yml)."""
        return {reason.code for row in self.rows for reason in row.reasons}


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and value.replace("_", "").isalnum() and value.islower()


def _is_kb_id(value: Any) -> bool:
    return isinstance(value, str) and value.replace("-", "").isalnum() and value.islower()


def _allowed_value(field: str, value: Any) -> bool:
    if value is None:
        return True
    if field == "founders":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return value in CHOICES[field]


def _condition(row: str, field: str, spec: Any) -> Condition:
    where = f"when.{field}"
    if field not in DECISION_FIELDS:
        raise TableError(
            row, where, f"not an answer the verdict may use ({', '.join(DECISION_FIELDS)})"
        )
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise TableError(row, where, "needs exactly one condition, e.g. {equals: value}")
    ((op, value),) = spec.items()
    if op in MINIMUM_OPS:
        if field != "founders":
            raise TableError(row, f"{where}.{op}", "applies to founders only")
        if not isinstance(value, bool):
            raise TableError(row, f"{where}.{op}", "must be true or false")
        return Condition(field, op, value)
    if op not in VALUE_OPS:
        raise TableError(
            row, f"{where}.{op}", f"unknown condition ({', '.join(VALUE_OPS + MINIMUM_OPS)})"
        )
    values = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value):
        raise TableError(row, f"{where}.in", "must be a non-empty list")
    for item in values:
        if not _allowed_value(field, item):
            raise TableError(row, f"{where}.{op}", f"{item!r} is not a possible answer")
    return Condition(field, op, tuple(values) if op == "in" else value)


def _row(raw: Any, index: int, next_step_codes: tuple[str, ...]) -> Row:
    if not isinstance(raw, Mapping):
        raise TableError(f"#{index}", "-", "a row must be a mapping")
    raw_id = raw.get("id")
    if not _is_code(raw_id):
        raise TableError(f"#{index}", "id", f"{raw_id!r} is not a snake_case id")
    row_id = str(raw_id)
    unknown = set(raw) - _ROW_KEYS
    if unknown:
        raise TableError(row_id, sorted(unknown)[0], "unknown key")
    when = raw.get("when")
    if not isinstance(when, Mapping) or not when:
        raise TableError(row_id, "when", "needs at least one condition")
    conditions = tuple(_condition(row_id, field, spec) for field, spec in when.items())

    then = raw.get("then") or {}
    if not isinstance(then, Mapping) or set(then) - _THEN_KEYS:
        raise TableError(row_id, "then", f"may only hold {', '.join(sorted(_THEN_KEYS))}")
    fit = then.get("coop_fit")
    if fit is not None and fit not in COOP_FITS:
        raise TableError(row_id, "then.coop_fit", f"{fit!r} is not one of {', '.join(COOP_FITS)}")
    coop_type = then.get("recommended_coop_type")
    if coop_type is not None and coop_type not in (*RECOMMENDED_TYPES, FROM_MEMBERS):
        raise TableError(row_id, "then.recommended_coop_type", f"{coop_type!r} is not a type")
    if fit == "weak" and coop_type != "none":
        raise TableError(row_id, "then.recommended_coop_type", "a weak row must recommend none")

    reasons = []
    for i, reason in enumerate(raw.get("reasons") or []):
        where = f"reasons.{i}"
        if not isinstance(reason, Mapping) or set(reason) - _REASON_KEYS:
            raise TableError(row_id, where, f"a reason holds {', '.join(sorted(_REASON_KEYS))}")
        if not _is_code(reason.get("code")):
            raise TableError(row_id, f"{where}.code", "missing or not a snake_case code")
        if reason.get("field") not in when:
            raise TableError(row_id, f"{where}.field", "must be one of the row's `when` fields")
        kb_entry = reason.get("kb_entry")
        if kb_entry is not None and not _is_kb_id(kb_entry):
            raise TableError(row_id, f"{where}.kb_entry", f"{kb_entry!r} is not an entry id")
        reasons.append(ReasonSpec(reason["code"], reason["field"], kb_entry))

    to_settle = tuple(raw.get("to_settle") or ())
    for field in to_settle:
        if field not in when:
            raise TableError(
                row_id, "to_settle", f"{field!r} is not one of the row's `when` fields"
            )
    steps = tuple(raw.get("next_steps") or ())
    for step in steps:
        if step not in next_step_codes:
            raise TableError(row_id, "next_steps", f"{step!r} is not in next_step_codes")
    if fit is None and coop_type is None and not reasons and not steps and not to_settle:
        raise TableError(row_id, "then", "the row decides and explains nothing")
    unless = tuple(raw.get("unless") or ())
    if not all(_is_code(u) for u in unless):
        raise TableError(row_id, "unless", "must be a list of row ids")
    return Row(row_id, conditions, fit, coop_type, tuple(reasons), to_settle, steps, unless)


def parse_table(doc: Any) -> Table:
    """Check a table already read from YAML; raises ``TableError`` on the first problem."""
    if not isinstance(doc, Mapping):
        raise TableError("-", "-", "the table must be a mapping")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise TableError("-", "version", "must be a whole number")
    member_types = doc.get("member_types")
    if not isinstance(member_types, Mapping) or set(member_types) != set(CHOICES["members"]):
        raise TableError("-", "member_types", "must map every members answer to a type")
    for answer, coop_type in member_types.items():
        if coop_type not in RECOMMENDED_TYPES:
            raise TableError("-", f"member_types.{answer}", f"{coop_type!r} is not a type")
    codes = doc.get("next_step_codes")
    if not isinstance(codes, list) or not all(_is_code(c) for c in codes):
        raise TableError("-", "next_step_codes", "must be a list of snake_case codes")
    raw_rows = doc.get("rows")
    if not isinstance(raw_rows, list) or not raw_rows:
        raise TableError("-", "rows", "must be a non-empty list")
    rows = tuple(_row(raw, i, tuple(codes)) for i, raw in enumerate(raw_rows))
    seen: set[str] = set()
    for row in rows:
        if row.id in seen:
            raise TableError(row.id, "id", "appears twice")
        seen.add(row.id)
    for row in rows:
        for other in row.unless:
            if other not in seen:
                raise TableError(row.id, "unless", f"{other!r} is not a row id")
    not_when_weak = tuple(doc.get("not_when_weak") or ())
    for step in not_when_weak:
        if step not in codes:
            raise TableError("-", "not_when_weak", f"{step!r} is not in next_step_codes")
    return Table(version, dict(member_types), tuple(codes), rows, not_when_weak)


def load_table(path: Path | str = TABLE_FILE) -> Table:
    """Read and check the table at ``path``.

    Raises:
        TableError: the file is not valid YAML, or the table has a problem.
    """
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        try:
            doc = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            raise TableError("-", "-", f"{path} is not valid YAML: {error}") from error
    return parse_table(doc)


@lru_cache(maxsize=1)
def default_table() -> Table:
    """The shipped table, read once per process."""
    return load_table(TABLE_FILE)
