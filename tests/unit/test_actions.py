"""Custom actions, run against tracker fixtures with a collecting dispatcher (no network)."""

from types import SimpleNamespace

import pytest
from rasa_sdk.events import ActionExecuted, Restarted, SessionStarted, SlotSet

from bot.actions import answer_question
from bot.actions.answer_question import ActionAnswerQuestion, ActionTellMore
from bot.actions.kb_provider import KnowledgeBaseProvider
from bot.actions.restart_conversation import ActionRestartConversation
from bot.actions.session_start import ActionSessionStart
from bot.actions.validate_slot_mappings import ValidateSlotMappings
from tests.conftest import make_tracker


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    ("slots", "tracker_kwargs", "expected"),
    [
        (
            {},
            {"text": "Hello", "detection": {"language": "en", "confidence": 1.0, "words": 1}},
            ("en", "words"),
        ),
        (
            {"language": "fr", "language_source": "default"},
            {"text": "ok", "detection": {"language": "en", "confidence": 0.87, "words": 1}},
            ("en", "words"),
        ),
        (
            {"language": "fr", "language_source": "words"},
            {"text": "ok", "detection": {"language": "en", "confidence": 0.87, "words": 1}},
            ("fr", "words"),
        ),
        (
            {"language": "fr", "language_source": "words"},
            {
                "text": "in English please",
                "intent": "switch_language",
                "entities": [{"entity": "language", "value": "en"}],
                "detection": {"language": "en", "confidence": 0.99, "words": 3},
            },
            ("en", "explicit"),
        ),
        (
            {"language": "en", "language_source": "explicit"},
            {
                "text": "/switch_language",
                "intent": "switch_language",
                "entities": [{"entity": "language", "value": "fr"}],
            },
            ("fr", "explicit"),
        ),
        ({}, {"text": "👍", "metadata": {"language": "en-CA"}}, ("en", "channel")),
        ({}, {"text": "👍"}, ("fr", "default")),
    ],
)
async def test_extract_language(dispatcher, slots, tracker_kwargs, expected):
    tracker = make_tracker(slots=slots, **tracker_kwargs)
    result = await ValidateSlotMappings().extract_language(dispatcher, tracker, {})
    assert (result["language"], result["language_source"]) == expected
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"session_started_metadata": {"language": "en-US"}}, ("en", "channel")),
        ({"session_started_metadata": {"language_code": "fr"}}, ("fr", "channel")),
        ({}, ("fr", "default")),
        # a language the user chose is carried over to the new session
        (
            {
                "language": "en",
                "language_source": "explicit",
                "session_started_metadata": {"language": "fr"},
            },
            ("en", "explicit"),
        ),
    ],
)
async def test_session_start_language(dispatcher, slots, expected):
    events = await ActionSessionStart().run(dispatcher, make_tracker(slots=slots), {})
    assert events[0] == SessionStarted()
    assert events[-1] == ActionExecuted("action_listen")
    values = slots_of(events)
    assert (values["language"], values["language_source"]) == expected


async def test_session_start_carries_slots_over(dispatcher):
    events = await ActionSessionStart().run(
        dispatcher, make_tracker(slots={"kb_last_entry": "coop-definition"}), {}
    )
    assert SlotSet("kb_last_entry", "coop-definition") in events


async def test_restart_keeps_the_language_and_does_not_repeat_the_notice(dispatcher):
    tracker = make_tracker(
        slots={
            "language": "en",
            "language_source": "explicit",
            "privacy_notice_version": "2026-11-26.1",
            "screening_project": "a bakery",
        }
    )
    events = await ActionRestartConversation().run(dispatcher, tracker, {})
    assert events == [
        Restarted(),
        SlotSet("language", "en"),
        SlotSet("language_source", "explicit"),
        SlotSet("privacy_notice_version", "2026-11-26.1"),
    ]


class FakeKnowledgeBase:
    def __init__(self, hit, topic="basics"):
        self.hit = hit
        self.calls = []
        self.suggested = []
        source = SimpleNamespace(title="Loi sur les coopératives", url="https://example.org/loi")
        self.entry = SimpleNamespace(
            id="coop-definition",
            topic=topic,
            kind="concept",
            sources=[source],
            text=lambda field, lang: f"{field}-{lang}",
        )

    def __contains__(self, entry_id):
        return entry_id == "coop-definition"

    def search(self, question, lang, top_k=3):
        return []

    def suggestions(self, question, lang):
        return self.suggested

    def best(self, question, lang, context_entry_id=None):
        self.calls.append((question, lang, context_entry_id))
        return self.hit

    def get(self, entry_id):
        assert entry_id == "coop-definition"
        return self.entry


@pytest.fixture
def fake_kb(monkeypatch):
    unanswered = []
    monkeypatch.setattr(
        answer_question, "_count_unanswered", lambda q, lang, topic=None: unanswered.append(q)
    )

    def make(hit, topic="basics"):
        kb = FakeKnowledgeBase(hit, topic)
        kb.unanswered = unanswered
        return kb

    return make


async def test_answer_question_with_sources(dispatcher, fake_kb):
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.8))
    tracker = make_tracker(slots={"language": "en", "kb_last_entry": "x"}, text="what is a coop")
    events = await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    assert kb.calls == [("what is a coop", "en", "x")]
    assert dispatcher.messages[0]["response"] == "utter_kb_answer"
    assert dispatcher.messages[0]["answer"] == "short-en"
    assert "https://example.org/loi" in dispatcher.messages[0]["sources"]
    assert events == [SlotSet("kb_last_entry", "coop-definition")]


async def test_no_confident_answer_says_so_and_is_counted(dispatcher, fake_kb):
    kb = fake_kb(None)
    events = await ActionAnswerQuestion(kb).run(dispatcher, make_tracker(text="météo?"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_no_answer"]
    assert events == []
    assert kb.unanswered == ["météo?"]


async def test_unsure_question_offers_the_nearest_entries_as_buttons(dispatcher, fake_kb):
    kb = fake_kb(None)
    kb.suggested = [SimpleNamespace(entry_id="coop-definition", score=0.15)]
    tracker = make_tracker(slots={"language": "en"}, text="co-op give profits back?")
    events = await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["response"] == "utter_kb_suggestions"
    assert message["buttons"] == [
        {
            "title": "title-en",
            "payload": '/ask_cooperative_question{"kb_entry": "coop-definition"}',
        }
    ]
    assert events == []
    assert kb.unanswered == ["co-op give profits back?"]  # still a gap for the content writers


async def test_a_suggestion_button_answers_the_entry_picked(dispatcher, fake_kb):
    kb = fake_kb(None)
    tracker = make_tracker(
        slots={"language": "fr"},
        text='/ask_cooperative_question{"kb_entry": "coop-definition"}',
        entities=[{"entity": "kb_entry", "value": "coop-definition"}],
    )
    events = await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    assert kb.calls == []  # no search: the person chose
    assert dispatcher.messages[0]["response"] == "utter_kb_answer"
    assert dispatcher.messages[0]["answer"] == "short-fr"
    assert events == [SlotSet("kb_last_entry", "coop-definition")]
    assert kb.unanswered == []


async def test_a_button_of_a_removed_entry_gets_the_no_answer_message(dispatcher, fake_kb):
    kb = fake_kb(None)
    tracker = make_tracker(entities=[{"entity": "kb_entry", "value": "gone-since"}])
    events = await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_no_answer"]
    assert events == []
    assert kb.unanswered == []


async def test_immigration_answers_offer_a_human(dispatcher, fake_kb):
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.9), topic="immigration")
    await ActionAnswerQuestion(kb).run(dispatcher, make_tracker(text="permis de travail?"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_answer", "utter_offer_human"]


async def test_distress_found_by_search_gets_crisis_help(dispatcher, fake_kb):
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.9), topic="crisis")
    await ActionAnswerQuestion(kb).run(dispatcher, make_tracker(text="je vais mal"), {})
    # the fake knowledge base has no crisis entry: the sourced emergency fallback is used
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_crisis_intro",
        "utter_crisis_fallback",
    ]


async def test_knowledge_base_failure_gets_a_clear_message(dispatcher, caplog):
    def broken():
        raise OSError("database unreachable for marie@example.org")

    action = ActionAnswerQuestion(KnowledgeBaseProvider(broken))
    events = await action.run(dispatcher, make_tracker(text="coop?"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_unavailable"]
    assert events == []
    # The log says what failed and where, for the maintainer; never the message (personal data).
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "OSError at test_actions.py:" in logged and "in broken" in logged
    assert "marie@example.org" not in logged


async def test_tell_more_gives_the_long_text(dispatcher, fake_kb):
    kb = fake_kb(None)
    tracker = make_tracker(slots={"language": "fr", "kb_last_entry": "coop-definition"})
    await ActionTellMore(kb).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_kb_more"
    assert dispatcher.messages[0]["answer"] == "long-fr"


@pytest.mark.parametrize("text", ["", "dis-m'en plus", "/tell_me_more"])
async def test_tell_more_without_a_previous_answer(dispatcher, fake_kb, text):
    kb = fake_kb(None)
    tracker = make_tracker(slots={"language": "fr"}, text=text)
    await ActionTellMore(kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_nothing_more"]


async def test_a_question_read_as_tell_more_with_nothing_before_is_answered(dispatcher, fake_kb):
    # Found talking to the assistant: "I have no more details" to a first question.
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.6))
    text = "j'ai pas de papiers encore, je peux quand même?"
    await ActionTellMore(kb).run(dispatcher, make_tracker(slots={"language": "fr"}, text=text), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_answer"]
    assert kb.calls[0][0] == text


async def test_a_request_for_the_screening_in_other_words_gets_it_offered(dispatcher, fake_kb):
    # No entry answers "would a co-op work for our garage?": no topic buttons, the screening.
    kb = fake_kb(None)
    kb.suggested = [SimpleNamespace(entry_id="coop-definition", score=0.15)]
    tracker = make_tracker(
        slots={"language": "fr"}, text="La formule coop pourrait-elle marcher pour notre garage?"
    )
    events = await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["response"] == "utter_offer_screening"
    assert events == []


async def test_a_project_told_with_the_co_op_named_that_no_entry_answers_gets_the_screening(
    dispatcher, fake_kb
):
    kb = fake_kb(None)
    kb.suggested = [SimpleNamespace(entry_id="coop-definition", score=0.15)]
    text = "on veut démarrer notre épicerie de quartier en coopérative avec des voisins"
    events = await ActionAnswerQuestion(kb).run(
        dispatcher, make_tracker(slots={"language": "fr"}, text=text), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_screening"]
    assert events == []


@pytest.mark.parametrize(
    ("text", "slots", "expected"),
    [
        # Said to the assistant as a first message: no co-op named, no entry answers it.
        ("je veux ouvrir un petit resto syrien avec ma cousine et 2 amis a laval", {}, "offer"),
        ("we want to open a bakery, me and my two sisters", {}, "offer"),
        # A screening already done: no second one offered, the gap is said.
        ("je veux ouvrir un resto avec des amis", {"screening_summary": "done"}, "no answer"),
        ("what is the weather like in Montreal", {}, "no answer"),
    ],
)
async def test_a_project_told_without_the_co_op_named_gets_the_screening_offered(
    dispatcher, fake_kb, text, slots, expected
):
    kb = fake_kb(None)
    await ActionAnswerQuestion(kb).run(
        dispatcher, make_tracker(slots={"language": "fr", **slots}, text=text), {}
    )
    responses = [m["response"] for m in dispatcher.messages]
    want = "utter_offer_screening" if expected == "offer" else "utter_kb_no_answer"
    assert responses == [want]


async def test_a_need_said_in_plain_words_gets_its_entry_without_a_screening_offer(
    dispatcher, fake_kb, monkeypatch
):
    # No entry answers "i can't pay the rent … we wanted a coop later" surely: the resources.
    kb = fake_kb(None)
    seen = []
    monkeypatch.setattr(
        answer_question, "need_entry", lambda text: seen.append(text) or "coop-definition"
    )
    text = "i lost my job and i can not pay the rent, we wanted to start a coop later"
    events = await ActionAnswerQuestion(kb).run(
        dispatcher, make_tracker(slots={"language": "en"}, text=text), {}
    )
    assert seen == [text]
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_answer"]
    assert events == [SlotSet("kb_last_entry", "coop-definition")]


async def test_a_question_that_is_also_a_request_is_answered_then_the_screening_offered(
    dispatcher, fake_kb
):
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.6))
    tracker = make_tracker(
        slots={"language": "en"}, text="would a co-op make sense for a hair salon?"
    )
    await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_kb_answer",
        "utter_offer_screening",
    ]


async def test_a_project_told_without_a_question_gets_the_screening_not_a_near_entry(
    dispatcher, fake_kb
):
    # "je veux ouvrir une coop de ménage avec des amies" got the founders' minimum first: the
    # entry its words are nearest answers nothing it asked.
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.6))
    text = "je veux ouvrir une coop de ménage avec des amies"
    await ActionAnswerQuestion(kb).run(
        dispatcher, make_tracker(slots={"language": "fr"}, text=text), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_screening"]


@pytest.mark.parametrize(
    ("text", "turns", "expected"),
    [
        # A first message that asks nothing and tells no project: the welcome (found talking to
        # a fresh clone: "no sure answer to this question").
        ("salut, chu arrivée du Maroc y a 6 mois", 1, "utter_greet"),
        # Later in the conversation, or a question: the gap is said as before.
        ("salut, chu arrivée du Maroc y a 6 mois", 3, "utter_kb_no_answer"),
        ("chu arrivée du Maroc, c'est quoi une coop?", 1, "utter_kb_no_answer"),
    ],
)
async def test_a_first_message_that_only_introduces_oneself_gets_the_welcome(
    dispatcher, fake_kb, text, turns, expected
):
    events = [{"event": "user", "text": text}] * turns
    tracker = make_tracker(slots={"language": "fr"}, text=text, events=events)
    await ActionAnswerQuestion(fake_kb(None)).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [expected]


class OnlyTheQuestionAnswers(FakeKnowledgeBase):
    """Sure of an entry only for the question without the project around it."""

    def best(self, question, lang, context_entry_id=None):
        self.calls.append((question, lang, context_entry_id))
        return self.hit if question == "c'tu mieux une coop ou une compagnie?" else None


async def test_a_question_beside_a_project_is_searched_alone_then_the_screening_offered(
    dispatcher, fake_kb
):
    # Found talking to the assistant: the project's words drowned the question's, and only the
    # screening was offered.
    kb = OnlyTheQuestionAnswers(SimpleNamespace(entry_id="coop-definition", score=0.6))
    text = (
        "mon chum pis moi on veut partir un dépanneur à Rimouski, "
        "c'tu mieux une coop ou une compagnie?"
    )
    await ActionAnswerQuestion(kb).run(
        dispatcher, make_tracker(slots={"language": "fr"}, text=text), {}
    )
    assert [q for q, _, _ in kb.calls] == [text, "c'tu mieux une coop ou une compagnie?"]
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_kb_answer",
        "utter_offer_screening",
    ]


@pytest.mark.parametrize(
    "slots", [{"screening_summary": "done"}, {}], ids=["screening done", "plain question"]
)
async def test_no_screening_offer_after_a_screening_or_for_a_plain_question(
    dispatcher, fake_kb, slots
):
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.6))
    text = "is a co-op a good idea for our bakery?" if slots else "what is a co-op?"
    await ActionAnswerQuestion(kb).run(dispatcher, make_tracker(slots=slots, text=text), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_answer"]


async def test_the_language_asked_for_is_not_part_of_the_question(dispatcher, fake_kb):
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.6))
    text = "and in English, what is a patronage refund?"
    start = text.index("English")
    tracker = make_tracker(
        slots={"language": "en"},
        text=text,
        entities=[{"entity": "language", "value": "en", "start": start, "end": start + 7}],
    )
    await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    assert kb.calls == [("and , what is a patronage refund?", "en", None)]


class SidedKnowledgeBase(FakeKnowledgeBase):
    """Answers each side of a comparison with its own entry."""

    def __init__(self, answers: dict):
        super().__init__(None)
        self.answers = answers
        self.entries = {
            eid: SimpleNamespace(
                id=eid,
                topic="types",
                kind="concept",
                sources=[],
                text=lambda field, lang, eid=eid: f"{eid}-{field}",
            )
            for eid in answers.values()
            if eid
        }

    def __contains__(self, entry_id):
        return entry_id in self.entries

    def best(self, question, lang, context_entry_id=None):
        eid = self.answers.get(question)
        return SimpleNamespace(entry_id=eid, score=0.6) if eid else None

    def get(self, entry_id):
        return self.entries[entry_id]


@pytest.mark.parametrize(
    "answers, said, last",
    [
        (
            {
                "coop de travail ou coop de solidarité?": "coop-types-worker",
                "coop de travail": "coop-types-worker",
                "coop de solidarité": "coop-types-solidarity",
            },
            ["coop-types-worker-short", "coop-types-solidarity-short"],
            "coop-types-solidarity",
        ),
        (
            {
                "coop de travail ou coop de solidarité?": "coop-types-worker",
                "coop de travail": "coop-types-worker",
                "coop de solidarité": "compare-types",
            },
            ["compare-types-short"],
            "compare-types",
        ),
        (
            {"coop de travail ou coop de solidarité?": "coop-types-worker", "coop de travail": ""},
            ["coop-types-worker-short"],
            "coop-types-worker",
        ),
    ],
    ids=["both sides", "a comparison entry", "one side unknown: the question's own answer"],
)
async def test_a_comparison_is_answered_on_both_sides(dispatcher, monkeypatch, answers, said, last):
    kb = SidedKnowledgeBase(answers)
    tracker = make_tracker(slots={"language": "fr"}, text="coop de travail ou coop de solidarité?")
    events = await ActionAnswerQuestion(kb).run(dispatcher, tracker, {})
    assert [m["answer"] for m in dispatcher.messages] == said
    assert events == [SlotSet("kb_last_entry", last)]


async def test_a_question_about_the_question_asked_is_not_split_into_sides(dispatcher, monkeypatch):
    # Asked back at the control question: the sides are its options, not topics of their own.
    question = "c quoi la difference entre un vote par membre pis selon l'argent?"
    kb = SidedKnowledgeBase(
        {
            question: "one-member-one-vote",
            "un vote par membre": "one-member-one-vote",
            "selon l'argent": "financing-overview",
        }
    )
    tracker = make_tracker(slots={"language": "fr"}, text=question)
    await answer_question.answer_from_knowledge_base(
        dispatcher, tracker, kb, question, about="one-member-one-vote"
    )
    assert [m["answer"] for m in dispatcher.messages] == ["one-member-one-vote-short"]


async def test_a_request_for_the_screening_naming_a_city_is_not_a_list_of_organisations(
    dispatcher, fake_kb
):
    kb = fake_kb(SimpleNamespace(entry_id="coop-definition", score=0.6))
    kb.entry.kind = "region"
    text = "moi et 2 amies on veut ouvrir un resto a sherbrooke, une coop ca marcherait?"
    await ActionAnswerQuestion(kb).run(
        dispatcher, make_tracker(slots={"language": "fr"}, text=text), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_screening"]


async def test_the_language_slots_are_set_without_a_warning_on_every_turn(dispatcher, caplog):
    # rasa_sdk warned "Skipping validation for `language`" (and `language_source`) on every turn.
    import logging

    from bot.actions.domain import local_domain

    tracker = make_tracker(
        slots={"language": "fr", "language_source": "words"},
        text="Bonjour",
        detection={"language": "fr", "confidence": 1.0, "words": 1},
    )
    with caplog.at_level(logging.WARNING):
        events = await ValidateSlotMappings().run(dispatcher, tracker, local_domain())
    assert slots_of(events)["language"] == "fr"
    assert [r.getMessage() for r in caplog.records if "Skipping validation" in r.getMessage()] == []
