"""Questions written per topic are scored against the entries the topic map names."""

from types import SimpleNamespace

import pytest

from knowledge_base.evaluation import NONE, evaluate, load_topic_cases


class StubKB:
    def __init__(self, answers):
        self.answers = answers

    def best(self, q, lang, context_entry_id=None):
        eid = self.answers.get(q)
        return SimpleNamespace(entry_id=eid) if eid else None

    def search(self, q, lang, top_k=3):
        eid = self.answers.get(q)
        return [SimpleNamespace(entry_id=eid)] if eid else []


@pytest.fixture
def files(tmp_path):
    questions = tmp_path / "q.yml"
    questions.write_text(
        "- {q: 'a', lang: fr, topic: bank}\n"
        "- {q: 'b', lang: en, topic: bank}\n"
        "- {q: 'c', lang: en, topic: bank}\n"
        "- {q: 'd', lang: en, topic: none}\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yml"
    mapping.write_text("bank: [bank-account, caisses]\n", encoding="utf-8")
    return questions, mapping


def test_any_entry_of_the_topic_is_right_and_others_are_wrong(files):
    cases = load_topic_cases(*files)
    assert [c.expected for c in cases] == ["bank-account"] * 3 + [NONE]
    kb = StubKB({"a": "bank-account", "b": "caisses", "c": "reserve"})
    result = evaluate(kb, cases)["all"]
    assert (result.total, result.top1, result.wrong_confident) == (4, 3, 1)
    assert result.out_of_scope_refused == 1


def test_a_topic_missing_from_the_map_fails_loudly(files, tmp_path):
    questions, _ = files
    empty = tmp_path / "empty.yml"
    empty.write_text("other: [x]\n", encoding="utf-8")
    with pytest.raises(KeyError, match="bank"):
        load_topic_cases(questions, empty)


def test_a_dev_set_may_name_other_entries_that_answer_as_well(tmp_path):
    from knowledge_base.evaluation import load_cases

    path = tmp_path / "set.yml"
    path.write_text(
        "- {q: 'a', lang: fr, expected: bank-account, also: [caisses]}\n"
        "- {q: 'b', lang: en, expected: bank-account}\n",
        encoding="utf-8",
    )
    cases = load_cases(path)
    assert cases[0].also == ("caisses",) and cases[1].also == ()
    kb = StubKB({"a": "caisses", "b": "caisses"})
    result = evaluate(kb, cases)["all"]
    assert (result.top1, result.wrong_confident) == (1, 1)
