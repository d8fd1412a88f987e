"""Measures retrieval against a dev set of ``{q, lang, expected: id | none}`` questions.

Shared by scripts/eval_kb.py (figures for people) and the tests (a floor that must hold).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from knowledge_base.schema import Entry, Questions
from knowledge_base.search import KnowledgeBase
from knowledge_base.text import LANGS, analyzer

NONE = "none"


@dataclass(frozen=True)
class Case:
    """One question of a dev set and the entry that should answer it."""

    q: str
    lang: str
    expected: str  # an entry id, or "none" when no entry should answer
    context: str | None = None
    # Other entries that answer the question as well (a question written for a topic that
    # several entries cover, see load_topic_cases).
    also: tuple[str, ...] = ()

    def accepts(self, entry_id: str | None) -> bool:
        """Whether answering with ``entry_id`` is right (the expected entry or one of ``also``)."""
        return entry_id is not None and (entry_id == self.expected or entry_id in self.also)


@dataclass
class Result:
    """Counts over a set of cases, with each latency and each miss (for the report)."""

    total: int = 0
    top1: int = 0
    top3: int = 0
    wrong_confident: int = 0
    out_of_scope: int = 0
    out_of_scope_refused: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    misses: list[tuple[Case, str | None, list[str]]] = field(default_factory=list)

    def rate(self, count: int) -> float:
        """``count`` as a share of all cases (0 when there are none)."""
        return count / self.total if self.total else 0.0

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile of the latencies, in milliseconds."""
        return float(np.percentile(self.latencies_ms, p)) if self.latencies_ms else 0.0


def load_cases(path: Path) -> list[Case]:
    """The cases of a dev-set file; an empty, "none" or missing ``expected`` means no entry.

    ``also`` (optional) lists other entries that answer the question as well.
    """
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if isinstance(raw, dict):  # a file may wrap its list under one key
        raw = next((v for v in raw.values() if isinstance(v, list)), [])
    cases = []
    for item in raw:
        expected = item.get("expected")
        expected = NONE if expected in (None, "", "none", "None", False) else str(expected)
        also = tuple(str(e) for e in item.get("also") or ())
        cases.append(Case(str(item["q"]), str(item["lang"]), expected, item.get("context"), also))
    return cases


def load_topic_cases(path: Path, topic_map: Path) -> list[Case]:
    """Questions written for a topic (``{q, lang, topic}``), with the entries that answer it.

    ``topic_map`` is ``{topic: [entry ids]}``, the first the expected one; the topic ``none`` is
    for a question no entry should answer.

    Raises:
        KeyError: a topic the map does not name (it fails loudly).
    """
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    mapping = yaml.safe_load(Path(topic_map).read_text(encoding="utf-8")) or {}
    cases = []
    for item in raw:
        topic = str(item["topic"])
        if topic in (NONE, "none"):
            cases.append(Case(str(item["q"]), str(item["lang"]), NONE))
            continue
        if topic not in mapping or not mapping[topic]:
            raise KeyError(f"{topic_map}: no entry for topic {topic!r}")
        first, *others = (str(e) for e in mapping[topic])
        cases.append(Case(str(item["q"]), str(item["lang"]), first, also=tuple(others)))
    return cases


def evaluate(kb: KnowledgeBase, cases: list[Case]) -> dict[str, Result]:
    """Results per language (keys "fr", "en") and overall (key "all")."""
    for lang in LANGS:
        analyzer(lang).terms.cache_clear()  # time every question as if first seen
    kb.best("warm-up", "fr")
    kb.best("warm-up", "en")
    results = {key: Result() for key in (*LANGS, "all")}
    for case in cases:
        start = time.perf_counter()
        hit = kb.best(case.q, case.lang, context_entry_id=case.context)
        elapsed = (time.perf_counter() - start) * 1000
        top3 = [h.entry_id for h in kb.search(case.q, case.lang, top_k=3)]
        answer = hit.entry_id if hit else None
        if case.expected == NONE:
            ok1 = ok3 = answer is None
        else:
            ok1 = case.accepts(answer)
            ok3 = ok1 or any(case.accepts(eid) for eid in top3)
        for key in (case.lang, "all"):
            r = results.setdefault(key, Result())
            r.total += 1
            r.top1 += ok1
            r.top3 += ok3
            r.wrong_confident += answer is not None and not case.accepts(answer)
            r.out_of_scope += case.expected == NONE
            r.out_of_scope_refused += case.expected == NONE and answer is None
            r.latencies_ms.append(elapsed)
            if not ok1 and key == "all":
                r.misses.append((case, answer, top3))
    return results


def own_question_cases(entries: list[Entry]) -> list[Case]:
    """Each question an entry lists, expecting that entry."""
    return [
        Case(q, lang, e.id) for e in entries for lang in LANGS for q in e.items("questions", lang)
    ]


def crossval(entries: list[Entry], folds: int = 4) -> Result:
    """The entries' own questions asked of an index that does not hold them.

    The questions of each entry are dealt into ``folds`` parts; each part in turn is removed from
    the entries and asked. The tuning file is nearly learnt by heart once its misses have been
    worked on; this check keeps scoring like new questions do, so it is the one to tune on.
    """
    total = Result()
    for fold in range(folds):
        reduced, cases = [], []
        for e in entries:
            kept = {}
            for lang in LANGS:
                questions = e.items("questions", lang)
                kept[lang] = [q for i, q in enumerate(questions) if i % folds != fold]
                cases += [Case(q, lang, e.id) for i, q in enumerate(questions) if i % folds == fold]
            reduced.append(e.model_copy(update={"questions": Questions(**kept)}))
        part = evaluate(KnowledgeBase(reduced), cases)["all"]
        total.total += part.total
        total.top1 += part.top1
        total.top3 += part.top3
        total.wrong_confident += part.wrong_confident
        total.out_of_scope += part.out_of_scope
        total.out_of_scope_refused += part.out_of_scope_refused
        total.latencies_ms += part.latencies_ms
        total.misses += part.misses
    return total
