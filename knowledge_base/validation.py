"""Reads entry files and checks them one by one and as a collection (ids, links, region codes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge_base.schema import (
    KINDS,
    MODELS,
    ContentError,
    Entry,
    Problem,
    RegionEntry,
    ResourceEntry,
)
from knowledge_base.sources import type_problem


def field_path(loc: tuple[Any, ...]) -> str:
    """('sources', 0, 'url') -> 'sources[0].url'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


def _describe(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown key (see CONTENT_FORMAT.md for the keys of this kind)"
    if kind == "string_too_long":
        return f"text too long: {len(error['input'])} characters, at most {ctx['max_length']}"
    if kind == "string_too_short":
        return "empty text: write it in both French and English"
    if kind == "string_pattern_mismatch" and error["loc"][-1:] in (("id",), ("topic",)):
        return "must be lowercase kebab-case, e.g. coop-types-worker"
    if kind == "too_short":
        return "must not be empty"
    return error["msg"].replace("Value error, ", "")


def parse_entry(raw: Any, path: str, expected_id: str | None = None) -> Entry:
    """Validate one decoded YAML document; ``expected_id`` is the file name without .yml."""
    if not isinstance(raw, dict):
        raise ContentError([Problem(path, "(file)", "must be a YAML mapping of fields")])
    kind = raw.get("kind")
    if kind not in MODELS:
        problem = "required field is missing" if kind is None else f"unknown kind {kind!r}"
        raise ContentError([Problem(path, "kind", f"{problem}; one of: {', '.join(KINDS)}")])
    try:
        entry = MODELS[kind].model_validate(raw)
    except ValidationError as exc:
        problems = [Problem(path, field_path(e["loc"]), _describe(e)) for e in exc.errors()]
        raise ContentError(problems) from None
    if expected_id is not None and entry.id != expected_id:
        raise ContentError(
            [Problem(path, "id", f"id {entry.id!r} differs from the file name {expected_id!r}")]
        )
    problems = source_policy_problems(entry, path) + style_problems(entry, path)
    if problems:
        raise ContentError(problems)
    return entry


# French is written « seul ou seule », never with a middle dot (STYLE.md, CONTENT_FORMAT.md).
_MIDDLE_DOT = "·"
_FRENCH_TEXT_FIELDS = ("title", "short", "long", "conditions")


def style_problems(entry: Entry, path: str) -> list[Problem]:
    """House style rules a schema cannot express: no middle-dot inclusive forms in French."""
    problems = []
    for field in _FRENCH_TEXT_FIELDS:
        value = getattr(entry, field, None)
        text = getattr(value, "fr", None) if value is not None else None
        if isinstance(text, str) and _MIDDLE_DOT in text:
            word = next(w for w in text.split() if _MIDDLE_DOT in w)
            problems.append(
                Problem(
                    path,
                    f"{field}.fr",
                    f"{word!r}: write both forms in full (« seul ou seule »), not a middle dot",
                )
            )
    return problems


def source_policy_problems(entry: Entry, path: str) -> list[Problem]:
    """The problems with the source policy across fields (CONTENT_FORMAT.md, "Sources").

    Each source must be typed to fit its address, there must be a primary source or the reason
    there is none, and a ``sources-read`` date must be one that some source was actually opened
    on.
    """
    problems: list[Problem] = []
    for i, source in enumerate(entry.sources):
        problem = type_problem(source.url, source.type)
        if problem:
            problems.append(Problem(path, f"sources[{i}].type", problem))
    primary = [s for s in entry.sources if s.type == "primary"]
    if not primary and not entry.no_primary_source:
        problems.append(
            Problem(
                path,
                "sources",
                "no primary source: cite the official text or the organisation's own page, "
                "or say in `no_primary_source` why there is none",
            )
        )
    if entry.verification == "sources-read":
        read = primary or entry.sources
        if not any(s.accessed == entry.verified for s in read):
            kind = "primary source" if primary else "source"
            problems.append(
                Problem(
                    path,
                    "verified",
                    f"`sources-read` means a person read a {kind} on "
                    f"{entry.verified.isoformat()}, but no {kind} has that `accessed` date",
                )
            )
    return problems


def load_entry_file(path: Path) -> Entry:
    """The entry of one YAML file, validated; its id must be the file's name.

    Raises:
        ContentError: the file is not UTF-8, not YAML, or not a valid entry.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}" if where is not None else "(file)"
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Problem(str(path), line, f"invalid YAML: {reason}")]) from None
    except UnicodeDecodeError:
        raise ContentError([Problem(str(path), "(file)", "not UTF-8 text")]) from None
    return parse_entry(raw, str(path), expected_id=path.stem)


def check_collection(entries: dict[str, tuple[Entry, str]]) -> list[Problem]:
    """Cross-file rules: ``related`` ids exist, region codes are unique and known."""
    problems: list[Problem] = []
    regions: dict[str, str] = {}
    for entry, path in entries.values():
        if isinstance(entry, RegionEntry):
            if entry.code in regions:
                problems.append(
                    Problem(
                        path,
                        "code",
                        f"region code {entry.code} already used by {regions[entry.code]}",
                    )
                )
            regions[entry.code] = entry.id
    for entry, path in entries.values():
        for i, rid in enumerate(entry.related):
            if rid == entry.id:
                problems.append(Problem(path, f"related[{i}]", "an entry cannot relate to itself"))
            elif rid not in entries:
                problems.append(Problem(path, f"related[{i}]", f"unknown entry id {rid!r}"))
        # Codes are only checked against region files once some exist, so that resources can
        # be written before the regions.
        if isinstance(entry, ResourceEntry) and regions:
            for i, code in enumerate(entry.regions):
                if code != "all" and code not in regions:
                    problems.append(
                        Problem(path, f"regions[{i}]", f"no region entry has code {code}")
                    )
    return problems


def load_directory(root: Path) -> list[tuple[Entry, str]]:
    """Validate every ``*.yml`` under ``root``; raise one ContentError listing all problems."""
    problems: list[Problem] = []
    found: dict[str, tuple[Entry, str]] = {}
    files = sorted(p for p in Path(root).rglob("*.yml") if p.is_file())
    for file in files:
        rel = str(file)
        try:
            entry = load_entry_file(file)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if file.parent.name in KINDS and file.parent.name != entry.kind:
            problems.append(
                Problem(rel, "kind", f"kind {entry.kind!r} in folder {file.parent.name!r}")
            )
        if entry.id in found:
            problems.append(Problem(rel, "id", f"duplicate id, also in {found[entry.id][1]}"))
            continue
        found[entry.id] = (entry, rel)
    problems.extend(check_collection(found))
    if problems:
        raise ContentError(problems)
    return list(found.values())


def entry_from_document(document: dict[str, Any], source: str = "database") -> Entry:
    """Rebuild an entry from the JSON stored by the loader (dates come back as text)."""
    return parse_entry(document, source)
