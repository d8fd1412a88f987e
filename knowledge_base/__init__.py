"""Coopilote's knowledge base: validated bilingual entries, their search, and resource look-up.

Content lives in ``knowledge_base/content/<kind>/<id>.yml`` (format: CONTENT_FORMAT.md) and is
loaded into the app database with ``python -m knowledge_base load``. The package never imports
Rasa; actions call the API below and pick the language themselves.

Public API
----------
``KnowledgeBase.from_directory(path=None)``
    Validate and index the files (default: ``knowledge_base/content``).
``KnowledgeBase.from_database()``
    Index the entries stored in the app database (``appdb.session_scope``).
``kb.get(entry_id) -> Entry``
    A frozen pydantic model with the fields of the format; ``entry.text("short", "fr")`` reads a
    bilingual text, ``entry.items("keywords", "en")`` a bilingual list. ``kb.entries(kind=None)``.
``kb.search(query, lang, top_k=3, topic=None) -> list[Hit]``
    ``Hit(entry_id, score)`` best first; scores are in 0–1 and comparable across queries.
``kb.best(query, lang, context_entry_id=None) -> Hit | None``
    The one confident answer, or None (below the threshold, or too close a runner-up).
    ``context_entry_id`` is the previous answer: "tell me more" / "dis-m'en plus" returns it, and
    a short follow-up ("et pour une coop de travail?") is read with its topic terms.
``kb.resources_for(region_code, need=None, age=None, status=None) -> list[ResourceEntry]``
    Resources serving that region or all of Québec that fit the need, age and status.
``find_region(text) -> RegionMatch | Ambiguous | None`` (also ``kb.find_region(text)``)
    ``RegionMatch(code, name, matched, entry_id)`` for a city or region named in free text;
    ``Ambiguous(candidates, province)`` when it could be several places ("Quebec" alone).
``record_unanswered(question, lang, topic=None) -> str``
    Count a question without an answer, scrubbed of personal details (``scrub(question)``).
``ContentError``
    Raised by validation; ``problems`` lists ``Problem(path, field, message)``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the lazy exports below, as type checkers see them
    from knowledge_base.gazetteer import Ambiguous as Ambiguous
    from knowledge_base.gazetteer import Gazetteer as Gazetteer
    from knowledge_base.gazetteer import RegionMatch as RegionMatch
    from knowledge_base.gazetteer import city_meant as city_meant
    from knowledge_base.gazetteer import find_region as find_region
    from knowledge_base.schema import ContentError as ContentError
    from knowledge_base.schema import Entry as Entry
    from knowledge_base.schema import Problem as Problem
    from knowledge_base.schema import RegionEntry as RegionEntry
    from knowledge_base.schema import ResourceEntry as ResourceEntry
    from knowledge_base.search import Hit as Hit
    from knowledge_base.search import KnowledgeBase as KnowledgeBase
    from knowledge_base.unanswered import record_unanswered as record_unanswered
    from knowledge_base.unanswered import scrub as scrub

# Lazy exports: appdb imports knowledge_base.models for Alembic, which must not pay for loading
# bm25s and spaCy.
_EXPORTS = {
    "KnowledgeBase": "knowledge_base.search",
    "Hit": "knowledge_base.search",
    "Entry": "knowledge_base.schema",
    "ResourceEntry": "knowledge_base.schema",
    "RegionEntry": "knowledge_base.schema",
    "ContentError": "knowledge_base.schema",
    "Problem": "knowledge_base.schema",
    "find_region": "knowledge_base.gazetteer",
    "RegionMatch": "knowledge_base.gazetteer",
    "Ambiguous": "knowledge_base.gazetteer",
    "Gazetteer": "knowledge_base.gazetteer",
    "city_meant": "knowledge_base.gazetteer",
    "record_unanswered": "knowledge_base.unanswered",
    "scrub": "knowledge_base.unanswered",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'knowledge_base' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
