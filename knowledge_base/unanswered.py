"""Counts the questions the knowledge base could not answer, stripped of personal details.

Content writers read the counter to see what is missing; it must never hold an email, a phone
number, a name or an identifying number (Québec's Law 25), so questions are scrubbed first.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from appdb import session_scope, utcnow
from knowledge_base.models import UnansweredQuestion

MAX_LENGTH = 300

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# Phone numbers in North-American and international shapes: "+1 (514) 555-1234", "514.555.1234".
_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{6,}\d(?!\w)")
_DIGITS = re.compile(r"\d+")
# A name follows these introductions; it ends at punctuation or at a joining word.
_NAME_INTRO = re.compile(
    # Chat spelling drops apostrophes and letters: "je m appelle", "jmappelle", "my names".
    r"\b(j(?:e\s*)?m['’ ]?\s*app?ell?e|mon nom (?:est|c'est)|moi c'est|my name(?: is|'s|s)"
    r"|i am called|i'm called|im called)\s+",
    re.IGNORECASE,
)
_NAME_STOP = {
    "et", "and", "je", "j'ai", "i", "i'm", "mais", "but", "from", "de", "du", "im",
    "suis", "am", "habite", "live", "vis", "qui", "who", "ai", "have", "pis", "puis", "then",
}  # fmt: skip
_MAX_NAME_WORDS = 3


def _scrub_names(text: str) -> str:
    out, pos = [], 0
    for match in _NAME_INTRO.finditer(text):
        if match.start() < pos:
            continue
        out.append(text[pos : match.end()])
        rest = text[match.end() :]
        taken = 0
        for i, word in enumerate(re.finditer(r"[^\s,.;:!?]+", rest)):
            gap = rest[taken : word.start()]
            if (
                i >= _MAX_NAME_WORDS
                or word.group().lower() in _NAME_STOP
                or re.search(r"[,.;:!?]", gap)
            ):
                break
            taken = word.end()
        out.append("<name>" if taken else "")
        pos = match.end() + taken
    out.append(text[pos:])
    return "".join(out)


def scrub(question: str) -> str:
    """The question without emails, URLs, phone numbers, digits or introduced names.

    Normalised to lowercase single-spaced text.
    """
    text = _EMAIL.sub("<email>", question)
    text = _URL.sub("<url>", text)
    text = _PHONE.sub("<phone>", text)
    text = _DIGITS.sub("<number>", text)
    text = _scrub_names(text)
    text = " ".join(text.split()).lower().strip(" ?!.,;:")
    return text[:MAX_LENGTH]


def record_unanswered(question: str, lang: str, topic: str | None = None) -> str:
    """Count one unanswered question (scrubbed) and return the stored text.

    Two processes may record the same new question at once: the unique constraint lets one
    insert win and the other retries as an update.
    """
    text = scrub(question)
    if not text and topic is None:
        return text
    text = text or f"<topic:{topic}>"
    lang = (lang or "").lower()[:2]
    for attempt in range(2):
        try:
            with session_scope() as session:
                now = utcnow()
                row = session.execute(
                    select(UnansweredQuestion.id).where(
                        UnansweredQuestion.question == text, UnansweredQuestion.lang == lang
                    )
                ).scalar_one_or_none()
                if row is None:
                    session.add(
                        UnansweredQuestion(
                            question=text,
                            topic=topic,
                            lang=lang,
                            count=1,
                            first_seen=now,
                            last_seen=now,
                        )
                    )
                else:
                    values = {"count": UnansweredQuestion.count + 1, "last_seen": now}
                    if topic is not None:
                        values["topic"] = topic
                    session.execute(
                        update(UnansweredQuestion)
                        .where(UnansweredQuestion.id == row)
                        .values(**values)
                    )
            return text
        except IntegrityError:
            if attempt:
                raise
    return text


def unanswered_by_topic(examples: int = 3) -> list[tuple[str | None, int, list[str]]]:
    """(topic, total count, most frequent questions) for the people who maintain the content."""
    with session_scope() as session:
        rows = session.execute(
            select(
                UnansweredQuestion.topic, UnansweredQuestion.question, UnansweredQuestion.count
            ).order_by(UnansweredQuestion.count.desc())
        ).all()
    grouped: dict[str | None, tuple[int, list[str]]] = {}
    for topic, question, count in rows:
        total, questions = grouped.get(topic, (0, []))
        if len(questions) < examples:
            questions.append(question)
        grouped[topic] = (total + count, questions)
    return sorted(((t, c, q) for t, (c, q) in grouped.items()), key=lambda row: -row[1])
