"""The handoff questions answered in free text: consent, contact method, organisation, need, age.

Pure Python; the words are data (answers.yml). Each reader returns a code or None when the answer
is not understood, never a guess: consent, above all, is recorded only for an explicit yes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from handoff import routing

ANSWERS_FILE = Path(__file__).with_name("answers.yml")
QUESTION_WORDS = (
    "quoi",
    "c'est quoi",
    "c est quoi",
    "qu'est",
    "que ",
    "comment",
    "pourquoi",
    "combien",
    "quel",
    "quelle",
    "est-ce",
    "what",
    "why",
    "how",
    "which",
    "who",
    "do you",
    "does",
    "will you",
    "can you",
)


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain, spaces single."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w' @.+-]", " ", text).split())


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(fold(w)) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, Any]:
    data = yaml.safe_load(ANSWERS_FILE.read_text(encoding="utf-8"))
    return {
        "yes": _pattern(data["consent"]["yes"]),
        "no": _pattern(data["consent"]["no"]),
        "summary_only": _pattern(data["consent"]["summary_only"]),
        "methods": {k: _pattern(v) for k, v in data["contact_methods"].items()},
        "refusal": _pattern(data["refusals"]),
        "accept": _pattern(data["accept_proposal"]),
        "ordinals": {int(k): _pattern(v) for k, v in data["ordinals"].items()},
        "need_stems": {str(k): tuple(v) for k, v in data["need_stems"].items()},
        "wished": {
            k: re.compile(r"(?<!\w)(?:" + "|".join(v) + r")(?!\w)")
            for k, v in data["wished_methods"].items()
        },
        "availability": re.compile(
            r"(?<![\w'])(?:" + "|".join(data["availability"]) + r")(?![\w'])"
        ),
        "person_requests": tuple(
            re.compile(p) for lang in ("fr", "en") for p in data["person_requests"][lang]
        ),
    }


def asks_for_a_person(text: str) -> bool:
    """Whether ``text`` asks to talk to, or be contacted by, a person, whatever else it names."""
    folded = fold(text).replace("'", " ").replace("-", " ")
    return any(p.search(folded) for p in _vocabulary()["person_requests"])


def is_question(text: str) -> bool:
    """A question asked back ("what exactly would you send them?"), not an answer."""
    folded = fold(text)
    return text.strip().endswith("?") or folded.startswith(QUESTION_WORDS)


def asks_something(text: str) -> bool:
    """Whether there is a question anywhere in the message.

    It is one, or a clause after the first is ("together with the summary? what is it exactly").
    For answers already known not to be a yes or a no.
    """
    if is_question(text) or "?" in text:
        return True
    clauses = [c for c in re.split(r"[.!;,]+", text) if c.strip()]
    return any(is_question(c) for c in clauses[1:])


def parse_consent(text: str, shared: str | None = None) -> str | None:
    """The consent in ``text``: "yes" only for an explicit yes, "no" for an explicit no.

    ``shared`` is what the question asks to share ("summary" or "transcript"): "only the
    summary, not the whole chat" agrees to the summary and refuses the transcript. None otherwise
    (ask again): a question, or a yes and a no together ("oui mais non"), is not an answer.
    """
    if not text.strip() or is_question(text):
        return None
    words = _vocabulary()
    folded = fold(text)
    said_no = words["no"].search(folded) is not None
    said_yes = words["yes"].search(folded) is not None
    if shared in ("summary", "transcript") and words["summary_only"].search(folded):
        if shared == "summary":
            said_yes = not said_no
        else:
            said_no, said_yes = True, False
    if said_no and not said_yes:
        return "no"
    if said_yes and not said_no:
        return "yes"
    return None


def wished_contact_method(text: str) -> str | None:
    """The way to be reached ("phone", "email") a request for a person says, else None.

    "can someone call me back?" wishes the phone; a message naming both ways, or refusing one
    ("don't call me, email me"), wishes nothing surely and the question is asked.
    """
    folded = re.sub(r"['\-]", " ", fold(text))
    found = [
        method for method, pattern in _vocabulary()["wished"].items() if pattern.search(folded)
    ]
    if len(found) != 1:
        return None
    chosen, refused = parse_contact_method(text)
    return None if refused else found[0]


def parse_contact_method(text: str) -> tuple[str | None, str | None]:
    """(chosen, refused): "email" | "phone" | "none" chosen, and a method refused if any.

    "je préfère pas donner mon téléphone" refuses the phone and chooses nothing; "par courriel,
    pas par téléphone" chooses email.
    """
    words = _vocabulary()
    folded = fold(text)
    chosen: list[str] = []
    refused = None
    found = sorted(
        (match.start(), match.end(), method)
        for method, pattern in words["methods"].items()
        for match in pattern.finditer(folded)
    )
    previous_end = 0
    for start, end, method in found:
        # A refusal belongs to the method right after it: in "not my phone, email me" the refusal
        # is read before "phone", not again before "email".
        before = folded[max(previous_end, start - 30) : start]
        previous_end = end
        if method != "none" and words["refusal"].search(before):
            refused = refused or method
        elif method not in chosen:
            chosen.append(method)
    chosen = [m for m in chosen if m != refused]
    if len(chosen) == 1:
        return chosen[0], refused
    if "none" in chosen and len(chosen) > 1:
        chosen.remove("none")
        return (chosen[0] if len(chosen) == 1 else None), refused
    return None, refused


def organisation_names(titles: Sequence[str]) -> list[str]:
    """What a person may type for an organisation: its titles, their parts, its acronyms.

    "Carrefour jeunesse-emploi (CJE) – Montréal" gives the title, "Carrefour jeunesse-emploi",
    "CJE", "Montréal"; names shorter than three characters are left out.
    """
    names: list[str] = []
    for title in titles:
        names.append(title)
        names += [part.strip() for part in title.replace("(", "–").replace(")", "").split("–")]
    names += [word for name in list(names) for word in name.split() if word.isupper()]
    return [n for n in dict.fromkeys(names) if len(n) >= 3]


def parse_organisation(text: str, offered: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The key of the organisation chosen among ``offered``, or None.

    ``offered`` holds (key, names) pairs, the first being the one proposed. The choice is a yes to
    the proposal, a position ("the second one"), or a name or acronym typed.
    """
    if not offered:
        return None
    words = _vocabulary()
    folded = fold(text)
    for key, names in offered:
        for name in names:
            candidate = fold(name)
            if candidate and re.search(r"(?<![\w])" + re.escape(candidate) + r"(?![\w])", folded):
                return key
    for position, pattern in words["ordinals"].items():
        if position < len(offered) and pattern.search(folded):
            return offered[position][0]
    if words["accept"].search(folded) and not words["no"].search(folded):
        return offered[0][0]
    return None


def parse_need(text: str) -> str | None:
    """The need (``routing.ASKED_NEEDS``) a free answer names, or None when it names none.

    A button's code is taken as is; otherwise the stems of ``answers.yml`` are looked for, the
    co-op project's first.
    """
    lowered = str(text or "").strip().lower()
    if lowered in routing.ASKED_NEEDS:
        return lowered
    folded = fold(lowered)
    for need, stems in _vocabulary()["need_stems"].items():
        if any(stem in folded for stem in stems):
            return str(need)
    return None


def parse_age_group(text: str) -> str | None:
    """The age group (``routing.yml``), or ``unsaid``, for a button or an age typed as a number.

    None when the answer is neither (two numbers, an implausible age, words).
    """
    lowered = str(text or "").strip().lower()
    if lowered in (*routing.AGE_OF_GROUP, "unsaid"):
        return lowered
    numbers = "".join(c if c.isdigit() else " " for c in lowered).split()
    low, high = routing.PLAUSIBLE_AGE
    if len(numbers) == 1 and low <= int(numbers[0]) <= high:
        return routing.age_group_of(int(numbers[0]))
    return None


def availability_with_contact(text: str) -> str | None:
    """When the person can be reached, said in the message that gives the contact.

    "819 555 0142 after 5pm" gives "after 5pm": the message without its phone numbers and
    addresses, when what is left says a time, a part of the day or a day (``availability`` in
    answers.yml). None when it says none ("my number is 819 555 0142").
    """
    from handoff.contact import replace_contacts

    left = " ".join(replace_contacts(text, " ").split())
    # Only the parts that say when: "by phone: after 5pm" is "after 5pm".
    parts = [part.strip(" .-—") for part in re.split(r"[,:;—]", left)]
    when = [
        part
        for part in parts
        if part and _vocabulary()["availability"].search(fold(part).replace("-", " "))
    ]
    return ", ".join(when)[:200] or None
