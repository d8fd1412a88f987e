"""The knowledge base's texts as analysed search terms, cached on disk per language.

Lemmatising the passages with spaCy was most of the action server's start (docs/benchmarks.md,
issue #19). One JSON file per language holds, by text hash, what ``Analyzer.analyse_many`` gives;
it is stamped with the analyser's fingerprint (spaCy and model versions, synonyms file,
normalisation code), so a start with unchanged content analyses nothing, an edited entry
re-analyses only its changed texts, and a new model or synonyms file re-analyses everything. Same
folder and conventions as the passage vectors (knowledge_base/semantic.py).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge_base.cache import cache_dir, text_key, write_atomically
from knowledge_base.text import Analyzer

logger = logging.getLogger(__name__)
# Bumped when the file's layout changes.
FORMAT = 1
# Texts kept at most per language; the content has about 5,600 over both languages.
MAX_CACHED = 50_000

Groups = list[tuple[str, ...]]


@dataclass
class AnalysisReport:
    """How many texts of one language a build analysed, and how many it read from the cache."""

    lang: str
    texts: int
    analysed: int
    seconds: float

    def summary(self) -> str:
        """One line for the log."""
        return (
            f"{self.lang}: {self.texts} texts, {self.analysed} analysed "
            f"({self.texts - self.analysed} from the cache) in {self.seconds:.1f} s"
        )


def _groups(value: Any) -> Groups | None:
    """A stored analysis as ``analyse_many`` returns it, or None when it is not one."""
    if not isinstance(value, list):
        return None
    groups = []
    for group in value:
        if not isinstance(group, list) or not all(isinstance(t, str) for t in group):
            return None
        groups.append(tuple(group))
    return groups


class AnalysisCache:
    """Analysed texts of one analyser (one language) on disk, keyed by a hash of the text."""

    def __init__(self, analyser: Analyzer, folder: Path | None = None):
        self.analyser = analyser
        self.path = (folder or cache_dir()) / f"kb-analysis-{analyser.lang}.json"

    def _read(self, fingerprint: str) -> dict[str, Any]:
        # A missing, damaged or foreign file only costs a re-analysis: never fail a start on it.
        # Logged by error type only: a decoding error's message may quote the file's text.
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            logger.warning(
                "analysis cache %s unreadable (%s), rebuilding", self.path, type(error).__name__
            )
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            data = {}
        analyses = data.get("analyses")
        if not isinstance(analyses, dict):
            logger.warning("analysis cache %s has an unknown layout, rebuilding", self.path)
            return {}
        if data.get("fingerprint") != fingerprint:
            logger.info(
                "analysis cache %s was made by another analyser (spaCy model, synonyms or "
                "normalisation changed): rebuilding",
                self.path,
            )
            return {}
        return analyses

    def _write(self, fingerprint: str, analyses: dict[str, Any]) -> None:
        body = {"format": FORMAT, "fingerprint": fingerprint, "analyses": analyses}
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            write_atomically(self.path, lambda out: out.write(payload))
        except OSError as error:  # a read-only or full disk: the next start analyses again
            logger.warning("analysis cache %s not written (%s)", self.path, type(error).__name__)

    def analyse(self, texts: Sequence[str]) -> tuple[list[Groups], AnalysisReport]:
        """``analyser.analyse_many(texts)``, analysing (and storing) only texts not cached.

        Args:
            texts: The texts to analyse, in any number and order; repeats are analysed once.

        Returns:
            The term groups of each text in order, and what was read or analysed.
        """
        start = time.perf_counter()
        fingerprint = self.analyser.fingerprint
        stored = self._read(fingerprint)
        keys = [text_key(t) for t in texts]
        known: dict[str, Groups] = {}
        for key in set(keys):
            groups = _groups(stored.get(key))
            if groups is not None:
                known[key] = groups
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = self.analyser.analyse_many([by_key[k] for k in missing])
            known.update(zip(missing, fresh, strict=True))
            stored.update((k, [list(g) for g in known[k]]) for k in missing)
            if len(stored) > MAX_CACHED:
                # Old texts go only past a bound: two contents in turn (a test's small one, the
                # real one) must not evict each other's analyses on every start.
                stored = {k: stored[k] for k in set(keys)}
            self._write(fingerprint, stored)
        report = AnalysisReport(
            self.analyser.lang, len(set(keys)), len(missing), time.perf_counter() - start
        )
        return [list(known[k]) for k in keys], report
