"""The cache of analysed knowledge-base texts: what a start reads from it, what it re-analyses,
what it survives, and that it never changes a search result."""

from __future__ import annotations

import json
import logging
import textwrap
from pathlib import Path

import pytest

from knowledge_base.analysis_cache import AnalysisCache
from knowledge_base.search import KnowledgeBase
from knowledge_base.text import LANGS, SYNONYMS_FILE, Analyzer, analyzer, lemmatised_count
from knowledge_base.validation import load_directory
from tests.knowledge_base.conftest import FIXTURE_CONTENT
from tests.support.processes import fresh_python

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [
    ("Comment fonder une coopérative de travail?", "fr"),
    ("Qu'est-ce que la réserve d'une coop?", "fr"),
    ("subvention de démarrage", "fr"),
    ("How do I start a worker co-op?", "en"),
    ("What is the reserve rule?", "en"),
    ("help for young entrepreneurs in Montreal", "en"),
]


def _entries():
    return [e for e, _ in load_directory(FIXTURE_CONTENT)]


def _build(folder: Path, entries=None) -> tuple[KnowledgeBase, dict[str, int]]:
    """A knowledge base built with its analyses cached in ``folder``, and how many texts spaCy
    lemmatised for it, per language."""
    before = {lang: lemmatised_count(lang) for lang in LANGS}
    kb = KnowledgeBase(entries or _entries(), encoder=None, cache_folder=folder)
    return kb, {lang: lemmatised_count(lang) - before[lang] for lang in LANGS}


def _same_index(a: KnowledgeBase, b: KnowledgeBase) -> None:
    for lang in LANGS:
        x, y = a._indexes[lang], b._indexes[lang]
        assert x.titles == y.titles
        assert x.labels == y.labels
        assert x.df == y.df
        assert x.vocab == y.vocab
        assert (x.question_matrix != y.question_matrix).nnz == 0
    for query, lang in QUERIES:
        assert a.search(query, lang, top_k=5) == b.search(query, lang, top_k=5)
        assert a.best(query, lang) == b.best(query, lang)


def test_a_second_build_reads_every_analysis_from_the_cache(tmp_path: Path):
    first, lemmatised = _build(tmp_path)
    assert all(r.analysed == r.texts > 0 for r in first.analysis_reports.values())
    assert all(n > 0 for n in lemmatised.values())
    assert {p.name for p in tmp_path.iterdir()} == {"kb-analysis-fr.json", "kb-analysis-en.json"}

    second, lemmatised = _build(tmp_path)
    assert lemmatised == {"fr": 0, "en": 0}
    assert all(r.analysed == 0 and r.texts > 0 for r in second.analysis_reports.values())
    _same_index(first, second)


def test_cached_analyses_equal_fresh_ones(tmp_path: Path):
    """The cache returns exactly what the analyser gives, types included (tuples of terms)."""
    texts = [e.text("short", "fr") for e in _entries()] + ["C.A. de la coop", "", "l'été"]
    fresh = analyzer("fr").analyse_many(texts)
    cold, _ = AnalysisCache(analyzer("fr"), tmp_path).analyse(texts)
    warm, report = AnalysisCache(analyzer("fr"), tmp_path).analyse(texts)
    assert report.analysed == 0
    assert cold == warm == fresh
    assert all(isinstance(group, tuple) for groups in warm for group in groups)


def test_a_build_with_the_cache_searches_like_one_without(tmp_path: Path):
    cold, _ = _build(tmp_path / "a")
    warm, lemmatised = _build(tmp_path / "a")
    assert lemmatised == {"fr": 0, "en": 0}
    other, _ = _build(tmp_path / "b")  # never saw a cache
    _same_index(warm, other)
    _same_index(cold, warm)


def test_an_edited_entry_reanalyses_only_its_changed_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    entries = _entries()
    _build(tmp_path, entries)
    edited = entries[0].model_copy(
        update={"questions": entries[0].questions.model_copy(update={"fr": ["Question neuve?"]})}
    )
    asked: list[list[str]] = []
    french = analyzer("fr")
    original = french.analyse_many

    def spy(texts):
        asked.append(list(texts))
        return original(texts)

    monkeypatch.setattr(french, "analyse_many", spy)
    kb, lemmatised = _build(tmp_path, [edited, *entries[1:]])
    # The questions field and the question itself are the same text: analysed once.
    assert asked == [["Question neuve?"]]
    assert lemmatised == {"fr": 1, "en": 0}
    assert kb.analysis_reports["fr"].analysed == 1
    assert kb.analysis_reports["en"].analysed == 0
    monkeypatch.undo()
    _same_index(kb, _build(tmp_path / "fresh", [edited, *entries[1:]])[0])


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\xffnot json: Comment fonder une coop secrete",
        b'{"format": 1, "fingerprint": "x", "analy',  # cut short by a crash
        b'["Comment fonder une coop secrete"]',  # JSON, not the layout
        b'{"format": 99, "analyses": {}}',
    ],
)
def test_a_damaged_cache_file_is_ignored_logged_and_rebuilt(
    tmp_path: Path, damage: bytes, caplog: pytest.LogCaptureFixture
):
    reference, _ = _build(tmp_path / "reference")
    for lang in LANGS:
        (tmp_path / f"kb-analysis-{lang}.json").write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="knowledge_base.analysis_cache"):
        kb, lemmatised = _build(tmp_path)
    assert all(r.analysed == r.texts for r in kb.analysis_reports.values())
    assert all(n > 0 for n in lemmatised.values())
    warnings = [r for r in caplog.records if r.name == "knowledge_base.analysis_cache"]
    assert len(warnings) == 2 and all("rebuilding" in r.getMessage() for r in warnings)
    assert "secrete" not in caplog.text  # the file's text never reaches the log
    _same_index(kb, reference)
    # Rebuilt: the next start analyses nothing.
    assert _build(tmp_path)[1] == {"fr": 0, "en": 0}


def test_a_damaged_entry_is_reanalysed_alone(tmp_path: Path):
    cache = AnalysisCache(analyzer("en"), tmp_path)
    texts = ["The worker co-op", "A reserve rule", "Startup grants"]
    expected, _ = cache.analyse(texts)
    data = json.loads(cache.path.read_bytes())
    first, second = sorted(data["analyses"])[:2]
    data["analyses"][first] = "not a list of groups"
    data["analyses"][second] = [["ok"], [3]]
    cache.path.write_text(json.dumps(data), encoding="utf-8")
    again, report = AnalysisCache(analyzer("en"), tmp_path).analyse(texts)
    assert report.analysed == 2
    assert again == expected


def test_a_changed_synonyms_file_or_model_invalidates_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    texts = ["The worker co-op", "A reserve rule"]
    AnalysisCache(Analyzer("en"), tmp_path).analyse(texts)
    assert AnalysisCache(Analyzer("en"), tmp_path).analyse(texts)[1].analysed == 0

    edited = tmp_path / "synonyms.yml"
    edited.write_text(SYNONYMS_FILE.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    assert AnalysisCache(Analyzer("en", edited), tmp_path).analyse(texts)[1].analysed == 2

    import knowledge_base.text as text_module

    monkeypatch.setattr(text_module, "model_name", lambda lang: "spacy-9.9/another-model")
    assert AnalysisCache(Analyzer("en", edited), tmp_path).analyse(texts)[1].analysed == 2


def test_an_unwritable_cache_folder_does_not_stop_a_build(tmp_path: Path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    kb, _ = _build(blocked / "cache")
    assert kb.best("How do I start a worker co-op?", "en") is not None


def test_a_build_from_the_cache_does_not_load_spacy_until_a_question(tmp_path: Path):
    _build(tmp_path)
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from knowledge_base.search import KnowledgeBase
        from knowledge_base.text import lemmatised_count
        kb = KnowledgeBase.from_directory({str(FIXTURE_CONTENT)!r}, encoder=None,
                                          cache_folder=Path({str(tmp_path)!r}))
        built = {{"spacy": "spacy" in sys.modules, "lemmatised": lemmatised_count()}}
        hit = kb.best("How do I start a worker co-op?", "en")
        print(json.dumps([built, "spacy" in sys.modules, hit and hit.entry_id]))
        """
    )
    out = fresh_python(script)
    built, loaded_after_question, answer = json.loads(out.strip().splitlines()[-1])
    assert built == {"spacy": False, "lemmatised": 0}
    assert loaded_after_question is True
    reference, _ = _build(tmp_path)
    expected = reference.best("How do I start a worker co-op?", "en")
    assert answer == (expected and expected.entry_id)


def test_prepare_queries_loads_the_lexicon_and_spacy(tmp_path: Path):
    # Files of their own (same content, so the same cache): analysers no other test shares.
    cold, warm = tmp_path / "cold.yml", tmp_path / "warm.yml"
    for path in (cold, warm):
        path.write_bytes(SYNONYMS_FILE.read_bytes())
    KnowledgeBase(_entries(), synonyms_file=cold, encoder=None, cache_folder=tmp_path)
    kb = KnowledgeBase(_entries(), synonyms_file=warm, encoder=None, cache_folder=tmp_path)
    assert all(r.analysed == 0 for r in kb.analysis_reports.values())
    analysers = [kb._indexes[lang].analyse for lang in LANGS]
    assert all(a._lexicon is None for a in analysers)  # the cached build did not need it
    kb.prepare_queries()
    assert all(a._lexicon is not None for a in analysers)
    from knowledge_base import text

    assert set(LANGS) <= set(text._models)
