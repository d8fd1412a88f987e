"""Free-text answers to the screening questions, in French and English, read deterministically.

Each parser returns the answer's code, or None when the text is not understood: the form then
asks again with examples and never keeps a guess. The words are in vocabulary.yml. Questions are
not refused here: the form calls ``is_question`` first (an answer with a question mark is a
question, even "4?").
"""

from __future__ import annotations

import re

from screening.counting import alone_first, amount, count_founders, settled_part
from screening.lexicon import Choice, lexicon

ChoiceAnswer = str | None


def _code(text: str, allowed: tuple[str, ...]) -> str | None:
    """A quick-reply payload may send the code itself ("by_use")."""
    candidate = text.strip().lower()
    return candidate if candidate in allowed else None


def _first_choice(options: list[Choice], text: str) -> str | None:
    lex = lexicon()
    for option in options:
        if not option.value.startswith("_") and lex.find(option.pattern, text):
            return option.value
    return None


def _set_aside(options: list[Choice], text: str) -> tuple[str, str | None]:
    """``text`` with the words of the "_<code>" groups blanked, and that code when some were.

    Such a group names what the answer is not about ("a bank loan" is no outside investor): its
    words must not give another code, and they give ``<code>`` when nothing else is named.
    """
    default = None
    for option in options:
        if option.value.startswith("_") and option.pattern.search(text):
            default = default or option.value[1:]
            text = option.pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text, default


# A hedge, then a decision: "not sure... ok yes we can learn", « je sais pas trop... bon,
# disons une personne une voix »: the words after the last such turn answer.
_COMMIT = re.compile(
    r"(?:^|[.,;!?] )(?:(?:mais|but|so|alors|then) )?"
    r"(?:ok|okay|alright|fine|bon|ben|disons|let's say|lets say)(?: , | )"
)


def _committed(text: str) -> str | None:
    """The words after the last "…, ok / bon, disons / let's say" of a normalised answer."""
    last = None
    for match in _COMMIT.finditer(text):
        last = match
    if last is None or last.start() == 0:
        return None
    rest = text[last.end() :].strip(" ,.")
    return rest or None


def _choose(question: str, text: str, allowed: tuple[str, ...]) -> ChoiceAnswer:
    """The first value (in vocabulary order) the answer names; "not sure" wins over all."""
    code = _code(text, allowed)
    if code:
        return code
    lex = lexicon()
    t = lex.normalize(text)
    if not t:
        return None
    committed = _committed(t)
    if committed:
        value = _choose(question, committed, allowed)
        if value not in (None, "unsure"):
            return value
    if lex.find(lex.unsure, t):
        return "unsure"
    t, default = _set_aside(lex.choices[question], t)
    value = _first_choice(lex.choices[question], t)
    if value is None and default in allowed:
        return default
    if value is None and lex.find(lex.hedges, t):
        return "unsure"
    return value


def says_unsure(text: str) -> bool:
    """The answer is "I don't know" ("pas encore sûr", "no idea yet")."""
    lex = lexicon()
    return lex.find(lex.unsure, lex.normalize(text)) is not None


def parse_founders(text: str) -> int | None:
    """How many people, the user included, are committed to found it (see screening.counting)."""
    if founders_unsure(text):
        return None
    return count_founders(text)


def founders_unsure(text: str) -> bool:
    """Whether the founders answer is "I don't know".

    "Not sure" said of the people hoped for, or before a conclusion ("about 6 but 2 are not sure
    yet, so count 4"), leaves the number said.
    """
    lex = lexicon()
    if alone_first(text):  # « pour l'instant je suis seule, mais deux amies hésitent »
        return False
    return lex.find(lex.unsure, settled_part(text)) is not None


_MEMBER_VALUES = ("workers", "users", "producers", "employees_buying_in", "mix", "unsure")
_CORE_MEMBERS = ("workers", "users")


def parse_members(text: str) -> ChoiceAnswer:
    """The members answer: workers | users | producers | employees_buying_in | mix | unsure.

    Every kind the answer names counts; each phrase counts once ("travailleurs autonomes" is
    producers, not workers). People named as not members (« les clients viennent juste
    acheter ») are left out. Workers and users together make a mix when joined by "et/and", and
    "unsure" when joined by "ou/or" (the person hesitates between two types).
    """
    code = _code(text, _MEMBER_VALUES)
    if code:
        return code
    lex = lexicon()
    t = lex.normalize(text)
    if not t:
        return None
    if lex.find(lex.unsure, t):
        return "unsure"
    named: list[str] = []
    remaining = t
    for option in lex.choices["members"]:
        match = lex.find(option.pattern, remaining)
        if match and not option.value.startswith("_"):  # "_not_members": blanked, not counted
            named.append(option.value)
        if match:
            # Blank every occurrence so that a later kind does not read the same words again.
            remaining = option.pattern.sub(lambda m: " " * len(m.group(0)), remaining)
    for decisive in ("employees_buying_in", "mix"):
        if decisive in named:
            return decisive
    # Each member keeps their own business ("the drivers, each one has his own car"): producers,
    # whatever trade names them.
    if set(named) <= {"workers", "producers"} and lex.find(lex.self_employed, t):
        return "producers"
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        if " ou " in f" {t} " or " or " in f" {t} ":
            return "unsure"
        if set(named) == set(_CORE_MEMBERS):
            return "mix"
        return None  # producers with others: no single type; ask again
    return "unsure" if lex.find(lex.hedges, t) else None


def parse_control(text: str) -> ChoiceAnswer:
    """one_member_one_vote | proportional_to_capital | unsure ("peu importe" counts as unsure)."""
    return _choose("control", text, ("one_member_one_vote", "proportional_to_capital", "unsure"))


_CASES = re.compile(r"(?i)\b(?:if|si|s'il|sinon|otherwise|or else|but if|mais si)\b")


def _band(money: int) -> str:
    bands = lexicon().capital_bands
    if money <= bands["low_max"]:
        return "low"
    return "medium" if money <= bands["medium_max"] else "high"


def parse_capital(text: str) -> ChoiceAnswer:
    """The capital answer: low | medium | high | unsure.

    A figure is placed in the bands of vocabulary.yml.
    """
    code = _code(text, ("low", "medium", "high", "unsure"))
    if code:
        return code
    lex = lexicon()
    t = lex.normalize(text)
    if not t:
        return None
    unsure = lex.find(lex.unsure, t) is not None
    # An answer that opens with a level is that level, whatever figures explain it: the buttons'
    # titles typed out ("Medium ($50,000 to $500,000)", "A lot (over $500,000)").
    for level in lex.capital_levels:
        if level.pattern.match(t) and not unsure:
            return level.value
    # A figure is an estimate even when the person is not sure of it (« autour de 400 000 $, mais
    # je ne suis pas certaine du chiffre »): the question asks for a rough amount.
    # "depends. If we rent the church kitchen maybe 5000, if we build our own 40 or 50
    # thousand": amounts for different cases, in different bands, leave the level open.
    cases = {_band(m) for part in _CASES.split(text) if (m := amount(part)) is not None}
    if len(cases) > 1 and _CASES.search(text):
        return "unsure"
    money = amount(text)
    if money is not None:
        return _band(money)
    if unsure:
        return "unsure"
    value = _first_choice(lex.capital_levels, t)
    if value is None and lex.find(lex.hedges, t):
        return "unsure"
    return value


def parse_investors(text: str) -> ChoiceAnswer:
    """The outside-investors answer: none | returns_only | want_control | unsure."""
    return _choose("outside_investors", text, ("none", "returns_only", "want_control", "unsure"))


def parse_surplus(text: str) -> ChoiceAnswer:
    """by_use | by_work | by_capital | unsure."""
    return _choose("surplus", text, ("by_use", "by_work", "by_capital", "unsure"))


_YES_FIRST = re.compile(r"(?:yes|yeah|yep|yup|sure|oui|ouais|ouin|of course|bien sur|absolutely)\b")


def parse_governance(text: str) -> ChoiceAnswer:
    """The governance answer: yes | no | unsure; "not yet" said first is a no (not ready yet)."""
    lex = lexicon()
    t = lex.normalize(text)
    if lex.find(lex.not_ready_yet, t):
        return "no"
    allowed = ("yes", "no", "unsure")
    # "Yes, we're fine with meetings. Oh and about the investor, …": a yes said first, in a
    # clause that says nothing against it, is the answer whatever the rest says ("no snow").
    first = re.split(r" [,.;!?] ", t, maxsplit=1)[0]
    if _YES_FIRST.match(first) and _choose("governance_ready", first, allowed) == "yes":
        return "yes"
    return _choose("governance_ready", text, allowed)


def parse_readback(text: str) -> str | None:
    """Yes | no to "is that what you meant?" (what was understood, said back before the verdict).

    A negator turns a yes into a no ("c'est pas ça", "not right").
    """
    code = _code(text, ("yes", "no"))
    if code:
        return code
    lex = lexicon()
    t = lex.normalize(text)
    governance = parse_governance(text)
    if governance == "no" or lex.readback_no.search(t):
        return "no"
    if governance == "yes" or lex.find(lex.readback_yes, t):
        return "no" if lex.negators & set(t.split()) else "yes"
    if lex.readback_yes.search(t):  # only negated yeses: "not right", « c'est pas ça »
        return "no"
    return None


_PARSERS = {
    "founders": parse_founders,
    "members": parse_members,
    "control": parse_control,
    "outside_investors": parse_investors,
    "capital_need": parse_capital,
    "surplus": parse_surplus,
    "governance_ready": parse_governance,
}


def names_field(text: str, field: str) -> bool:
    """Whether ``text`` holds a word naming ``field``'s question.

    "vote" names the control, "investors" the outside investors: the cues of vocabulary.yml's
    corrections.
    """
    lex = lexicon()
    cue = lex.correction_cues.get(field)
    return cue is not None and cue.search(lex.normalize(text)) is not None


def says_correction(text: str) -> bool:
    """Whether ``text`` holds a correction marker ("actually", « en fait »)."""
    lex = lexicon()
    return lex.correction_markers.search(lex.normalize(text)) is not None


def parse_correction(text: str, current: str | None = None) -> tuple[str, int | str] | None:
    """The field and value a correction gives: ("founders", 6) for "actually we are 6".

    A correction is a correction marker, a word naming the answer (tried in the order of
    vocabulary.yml) and a value that field's parser understands. ``current`` is the field of the
    question being answered: its words are the answer, not a correction, so they are not read.

    Read first is all that follows the marker; then each sentence holding a marker, from the
    marker on and clause by clause ("sorry, before I answer: earlier I said 4 but we are
    actually 5, I forgot Amir" is 5 founders); then from each answer's word on (« pour
    l'investisseur, on le prendrait pas finalement » names the investors before the marker).
    """
    lex = lexicon()
    t = lex.normalize(text)
    marker = lex.correction_markers.search(t)
    if not marker:
        return None
    cues = {field: cue for field, cue in lex.correction_cues.items() if field != current}
    candidates = [t[marker.end() :].strip(" ,.:;!") or t]
    sentences = []
    for sentence in _SENTENCE_END.split(t):
        if found := lex.correction_markers.search(sentence):
            sentences.append(sentence)
            span = sentence[found.start() :]
            candidates += [span, *(c for c in _CLAUSE_BREAK.split(span) if c.strip())]
    for candidate in candidates:
        # The answer named first is the one corrected: "about the votes from before — I put 40
        # thousand and they put 10 each, so I should have 4 votes" corrects the control, not
        # the capital its amounts also name.
        named = sorted(
            (found.start(), order, field)
            for order, (field, cue) in enumerate(cues.items())
            if (found := cue.search(candidate))
        )
        for _, _, field in named:
            if (value := _PARSERS[field](candidate)) is not None:
                return field, value
    for sentence in sentences:
        for field, cue in cues.items():
            for mention in cue.finditer(sentence):
                value = _PARSERS[field](sentence[mention.start() :])
                if value is not None:
                    return field, value
    return None


_SENTENCE_END = re.compile(r"\s*[.!?;]\s*")
_CLAUSE_BREAK = re.compile(r"\s*[,:]\s*|\s+(?:but|mais|pero)\s+")


def tentative_answer(field: str, text: str) -> int | str | None:
    """The answer in a message that is a question only by its final "?".

    Such as "around 25k?", « peut-être 80 000 $? », "4?": no question word in it, and ``field``'s
    parser reads a value other than "not sure". None for a real question ("what do you mean by
    surplus?").
    """
    parse = _PARSERS.get(field)
    lex = lexicon()
    stripped = text.strip().rstrip(" \"')»?")
    t = lex.normalize(stripped)
    if parse is None or not t or "?" in stripped:
        return None
    tag = lex.question_tags.search(t)
    core = t[: tag.start()].strip(" ,") if tag else ""
    if core:
        # A statement with a tag ("who puts more money decides more, it's normal no?"): the
        # words before the tag answer, even when they open like a question ("who…").
        if lex.question_words.search(core):
            return None
        value = parse(core)
        return None if value in (None, "unsure") else value
    if lex.question_starts.search(t) or lex.question_words.search(t):
        return None
    value = parse(stripped)
    return None if value in (None, "unsure") else value


def sector_of_project(text: str) -> str | None:
    """The sector a project's description names (« une coop de traiteur » -> "alimentation").

    None when it names none, or words of two sectors ("a café and a bookstore"). A word inside a
    longer one of another sector does not count ("shop" in "coffee shop"); a negated one neither.
    """
    lex = lexicon()
    t = lex.normalize(text)
    spans = [
        (match.start(), match.end(), code)
        for code, pattern in lex.project_sectors.items()
        for match in pattern.finditer(t)
        if not lex.negated(t, match.start())
    ]
    named = {
        code
        for start, end, code in spans
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
    }
    return named.pop() if len(named) == 1 else None


def question_entry(field: str, question: str | None = None) -> str | None:
    """The knowledge-base entry about the subject of the question on ``field``, if any.

    With the ``question`` the person asked back: when it names one other question's subject and
    not this one's ("what's an outside investor exactly?" at the control question), that
    subject's entry.
    """
    entries = lexicon().question_entries
    if question is not None and not names_field(question, field):
        # Not the founders: their cues ("people", "we are") are in too many questions.
        named = [f for f in entries if f not in (field, "founders") and names_field(question, f)]
        if len(named) == 1:
            return entries[named[0]]
    return entries.get(field)


def points_at_the_question(text: str) -> bool:
    """Whether a question asked back is about the question itself, not another subject.

    Such as « c'est quoi la différence entre les deux? » or "what do you mean?".
    """
    lex = lexicon()
    return lex.about_the_question.search(lex.normalize(text)) is not None


def mentions_restart(text: str) -> bool:
    """The answer asks, among other words, to start over ("sorry can we start over please")."""
    lex = lexicon()
    return lex.restart_mentions.search(lex.normalize(text)) is not None


def is_question(text: str) -> bool:
    """A question, not an answer: it ends with "?" or opens with a question word."""
    lex = lexicon()
    stripped = text.strip().rstrip(" \"')»")
    t = lex.normalize(stripped)
    if not t or lex.not_questions.search(t):
        return False
    return stripped.endswith("?") or lex.question_starts.search(t) is not None
