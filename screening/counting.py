"""Numbers in free text: how many founders an answer means, and a sum of money.

How founders are counted (the form must ask "how many people, including you"):
- a stated total counts the user: "nous sommes 4 avec ma soeur" = 4, "on est 3 avec moi" = 3,
  "we are four" = 4; a number opening the answer and followed by "avec/with" is that total too
  ("4 avec ma soeur" = 4), because the question asked for the number including the user;
- people named relative to the user are added to the user: "moi et deux amis" = 3,
  "me and 3 friends" = 4, "ma soeur et moi" = 2, "two friends" = 3;
- group words ("personnes", "people", "associés", "founders") give the total, unless the user sets
  themself apart ("moi et 3 associés" = 4, "j'ai 3 associés" = 4; "5 personnes" = 5);
- "juste moi", "I'm alone for now" = 1; a group of unsaid size ("mes amis") or two different
  numbers ("3 ou 4") are not understood (None), so the form asks again.
"""

from __future__ import annotations

import re
from functools import lru_cache

from screening.lexicon import Lexicon, fold, lexicon, words_pattern

MAX_FOUNDERS = 999
_NUMBER = re.compile(r"(?<![a-z0-9.,])\d+(?![a-z0-9])")
# "probably 4 or 5", « 5 ou 6 », « entre 3 et 4 »: the founders sure to be there are the lower
# number (the founding minimum counts people committed, not hoped for).
_RANGE = re.compile(
    r"(?<![a-z0-9.,])(?P<low>\d+)(?: ?(?:ou|or|a|to|et|and|-|–|/) ?| )"
    r"(?:peut etre |maybe |perhaps )?(?P<high>\d+)(?![a-z0-9])"
)
MAX_RANGE_WIDTH = 3
# "6 or more" (a button's title typed out), « 6 ou plus », "10+": that many, at least.
_AT_LEAST = re.compile(r"(?<![a-z0-9.,])(?P<n>\d+) ?(?:or more|ou plus|et plus|\+|or over)")
# A number that is an age, a duration or an amount is not a head count.
# A vote rule is not one either: "one member one vote", « une ferme, une voix », "1 vote each".
_NOT_A_COUNT = re.compile(
    r"\d+ (?:ans|an|annees?|years?|mois|months?|semaines?|weeks?|dollars?|\$|%|heures?|hours?|k)"
    r"(?![a-z0-9])|(?:\d+ [a-z]+ (?:, )?)?\d+ (?:votes?|voix)(?![a-z0-9])"
)
_AMOUNT = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>millions?|million|mille|milles|thousand|grand|k|m|g)?(?![a-z])"
)
_UNITS = {
    "k": 1_000,
    "mille": 1_000,
    "milles": 1_000,
    "thousand": 1_000,
    "grand": 1_000,
    "g": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
}


def numeric(text: str, lex: Lexicon) -> str:
    """Normalised text with number words as digits ("moi et deux amis" -> "moi et 2 amis")."""
    text = lex.normalize(text)
    text = lex.phrase_pattern.sub(lambda m: str(lex.number_phrases[m.group(0)]), text)
    persons = _person_words(lex)
    words = text.split()
    out: list[str] = []
    for i, word in enumerate(words):
        nxt = " ".join(words[i + 1 : i + 3])
        if word in lex.articles:
            # An article is a number only before a person ("un ami") or as the whole answer.
            if len(words) == 1 or persons.match(nxt):
                out.append("1")
            else:
                out.append(word)
        elif word in lex.number_words:
            out.append(str(lex.number_words[word]))
        else:
            out.append(word)
    return _join_compounds(out)


def _join_compounds(words: list[str]) -> str:
    """Compound numbers joined: "vingt-deux" -> 22, "dix-sept" -> 17, "vingt et un" -> 21."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.isdigit() and i + 1 < len(words):
            tens = int(word)
            skip = 2 if words[i + 1] in ("et", "and") and i + 2 < len(words) else 1
            unit = words[i + skip]
            if unit.isdigit() and (
                (tens >= 20 and tens % 10 == 0 and 1 <= int(unit) <= 9)
                or (tens == 10 and 7 <= int(unit) <= 9)
            ):
                out.append(str(tens + int(unit)))
                i += skip + 1
                continue
        out.append(word)
        i += 1
    return " ".join(out)


@lru_cache(maxsize=1)
def _person_words(lex: Lexicon) -> re.Pattern[str]:
    section = lex.section
    return re.compile(
        r"(?:\w+ )?(?:"
        + "|".join(
            section("founders", "relational_singular")
            + section("founders", "relational_plural")
            + section("founders", "group")
        )
        + r")(?![a-z0-9])"
    )


@lru_cache(maxsize=1)
def _patterns(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    s = lex.section
    singular = "|".join(s("founders", "relational_singular"))
    plural = "|".join(s("founders", "relational_plural"))
    group = "|".join(s("founders", "group"))
    adjective = r"(?:[a-z]+ )?"
    return {
        "numbered_relational": re.compile(
            rf"(?P<n>\d+) {adjective}(?:{plural}|{singular})(?![a-z0-9])"
        ),
        "named": re.compile(
            rf"(?<![a-z0-9])(?:{'|'.join(s('founders', 'singular_determiners'))}) {adjective}"
            rf"(?:{singular})(?![a-z0-9])"
        ),
        "vague": re.compile(
            rf"(?<![a-z0-9])(?:{'|'.join(s('founders', 'vague_determiners'))}|avec|with|et|and)"
            rf" {adjective}(?:{plural})(?![a-z0-9])"
        ),
        "numbered_group": re.compile(rf"(?P<n>\d+) {adjective}(?:{group})(?![a-z0-9])"),
        "self": words_pattern(s("founders", "self_markers")),
        "total": _any_of(s("founders", "total")),
        "self_plus": _any_of(s("founders", "self_plus")),
        "alone": words_pattern(s("founders", "alone")),
    }


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    # Each alternative keeps its own number group (a name may appear only once in a regex).
    return re.compile(
        "|".join(
            rf"(?<![a-z0-9])(?:{p.replace('(?P<n>', f'(?P<n{i}>')})(?![a-z0-9])"
            for i, p in enumerate(patterns)
        )
    )


# What introduces a number said again, corrected, in the same answer.
_SELF_CORRECTION = re.compile(
    # ("she will wait 1 more year", « elle attend un an » are not corrections)
    r"(?<![a-z0-9])(?:(?:no|non|oh|euh|uh)\W+)?(?:(?<!will )(?<!to )(?<!ll )(?<!can )wait|"
    r"attends|attendez|i mean|i meant|"
    r"je veux dire|je voulais dire|oops|oups|scratch that|make that|correction|plutot|"
    # or concludes it: "8 households, one person each, so 8", « ça fait 6 en tout »
    # ("in total", « en tout » come after the number: « on serait 6 adultes en tout, 3 couples »)
    r"so|donc|that makes|which makes|ca fait|ca donne|"
    # or settles it: "about 6 but 2 are not sure, let's say 4", « alors disons 4 »
    r"disons|let's say|lets say|say|count|"
    # or takes it back with a softer word before the new number: "5 of us — well 4, Ana backed
    # out", « une douzaine, ben onze » (« ben » is read « bien »)
    r"(?:well|bien|enfin|actually)(?= \d))"
    r"(?![a-z0-9])"
)


# The answer's last words say the person founds alone, whoever else it mentions before.
_ALONE_IN_THE_END = re.compile(
    r"(?<!not )(?<!pas )(?:(?:just|only) me|(?:juste|seulement|rien que) moi|"
    r"(?:i'm|i am|je suis) (?:alone|seule?))"
    r"(?: for now| right now| pour l'instant| pour le moment| for the moment)?\W*$"
)


# …or its first words do, before a full stop or a comma: "just me for now. my husband helps
# sometimes but he has his job", « Pour l'instant je suis seule, ma sœur va peut-être me
# rejoindre ». Not "just me and my wife" (joined by "and").
_ALONE_FIRST = re.compile(
    r"^(?:(?:well|ben|bien|honnetement|honestly|pour l'instant|pour le moment|for now|right now|"
    r"so|alors|euh|hmm|ok|oui|yes|no|non)\W+)*"
    r"(?:(?:just|only) me|(?:juste|seulement|rien que) moi|"
    r"(?:i'm|i am|je suis) (?:alone|seule?|tout seul|toute seule|by myself|on my own)|"
    r"moi seule?|c'est juste moi)"
    r"(?: for now| right now| pour l'instant| pour le moment| for the moment)? ?[.,;]"
)
# People said to come maybe, later: "on est 3, moi et mes 2 cousins, peut-être un 4e plus tard
# mais c'est pas sûr", "we're 3, maybe 4": from the hedge to the end of the sentence is a hope,
# not a founder, when the words before it already say a number.
_MAYBE_MORE = re.compile(
    r"(?<![a-z0-9])(?:peut etre|maybe|perhaps|possibly|eventuellement|might)(?![a-z0-9])[^.;!]*"
)


_SAID_BEFORE = re.compile(r"\d|(?<![a-z0-9'])(?:moi|me|myself|nous|we|on)(?![a-z0-9'])")


# A later sentence about someone who may join, only helps or is not counted ("my sister say
# maybe she join next year", "my wife will help also but … so not counting her"), and "the others
# are not sure" (« les autres sont pas sûrs ») said beside the number, are not founders.
_NOT_A_FOUNDER = re.compile(
    r"(?<![a-z0-9])(?:peut etre|maybe|perhaps|possibly|eventuellement|might|later|plus tard|"
    r"next year|l'an prochain|l'annee prochaine|not counting|pas comptee?s?|"
    r"sans (?:la |le |les )?compter|helps?|will help|va aider|"
    r"aide(?:ra)? (?:aussi|parfois|des fois)|sometimes|parfois)(?![a-z0-9])"
)
_OTHERS_UNSURE = re.compile(
    r"(?:les autres|the others|the rest|le reste|others|"
    # « le bonhomme Poulin est pas sûr »: one of them, not the answer, is unsure
    r"(?:le|la|the|mon|ma|my|notre|our) [a-z]+(?: [a-z]+)? (?:est|is|n'est))(?: [\w']+){0,3} "
    r"(?:pas sur\w*|not sure|unsure|undecided|hesit\w*|not decided|pas decide\w*)"
)


def alone_first(text: str) -> bool:
    """Whether the answer starts by saying the person founds alone for now (see _ALONE_FIRST)."""
    return _ALONE_FIRST.search(numeric(text, lexicon())) is not None


def without_hopes(text: str) -> str:
    """``text`` (normalised) without the people it only hopes for, when it says a number before."""
    text = _OTHERS_UNSURE.sub(" ", text)
    sentences = re.split(r"(?<= [.;!])", text)
    if len(sentences) > 1 and _SAID_BEFORE.search(sentences[0]):
        kept = [sentences[0]] + [x for x in sentences[1:] if not _NOT_A_FOUNDER.search(x)]
        text = "".join(kept)
    match = _MAYBE_MORE.search(text)
    if match and _SAID_BEFORE.search(text[: match.start()]):
        return (text[: match.start()] + " " + text[match.end() :]).strip(" ,")
    return text


def settled_part(text: str) -> str:
    """The words of a founders answer that decide it.

    After the last correction or conclusion that says a number ("about 6 but 2 are not sure, so
    count 4"), without hopes.
    """
    lex = lexicon()
    t = numeric(text, lex)
    parts = [part for part in _SELF_CORRECTION.split(t) if part and _NUMBER.search(part)]
    return without_hopes(parts[-1] if len(parts) > 1 else t)


# The answer ends with the total after the people it lists: "me, my friend Luis and Steve from
# my old job, three", "me n my 2 cousins n 1 frend from church = 4" ("=" read as a comma). Not
# after a joining word: "me and 4" is five people.
_FINAL_TOTAL = re.compile(
    r"(?P<before>[a-z']+) , (?P<n>\d+)"
    r"(?: (?:of us|in total|en tout|au total|people|persons|personnes|founders|fondateurs))?"
    r" ?[.!]? ?$"
)
_JOINING = frozenset(
    "and et ou or to a plus n pis with avec are is sommes est serait serions were etions be "
    "etre".split()
)


def _final_total(raw: str) -> int | None:
    """The total said last, after a list of people that includes the user (see _FINAL_TOTAL)."""
    text = numeric(raw.replace("=", ","), lexicon())  # the normaliser would drop "="
    match = _FINAL_TOTAL.search(text)
    if match is None or match["before"] in _JOINING:
        return None
    if not _SAID_BEFORE.search(text[: match.start("n")]):
        return None
    return _valid(int(match["n"]))


_PLUS_ONE_MORE = re.compile(
    r"(?<![a-z0-9])(?:plus|\+|as well as|along with|and also)"
    r"(?: (?P<n>\d+)| (?:mon|ma|my|un|une|a|an|our|notre|his|her|son|sa))(?![a-z0-9])"
)


_AND_ME = re.compile(r"(?<![a-z0-9'])(?:and|et|pis|plus|n) (?:me|moi|moe|myself)(?![a-z0-9'])")


def _valid(count: int) -> int | None:
    return count if 1 <= count <= MAX_FOUNDERS else None


def _first_number(match: re.Match[str]) -> int:
    return int(next(g for g in match.groups() if g is not None))


def count_founders(text: str, *, said_of_people: bool = False) -> int | None:
    """The number of founders, the user included, or None when the answer does not say it.

    ``said_of_people``: only a number said of people ("me and 4 coworkers", "we are 5"), not a
    lone number, which answers the question "how many?" but in another message may be anything
    ("a real person", "2 questions").
    """
    lex = lexicon()
    t = _NOT_A_COUNT.sub(" ", numeric(text, lex)).strip()
    if not t:
        return None
    # "I talked to two others but they haven't said yes, so only me"
    if _ALONE_IN_THE_END.search(t) or _ALONE_FIRST.search(t):
        return 1
    t = without_hopes(t)
    # Corrected while saying it ("there's three, no wait, four of us", « on est 5, non attends,
    # 6 »): the last part that says a number is the answer.
    parts = [part for part in _SELF_CORRECTION.split(t) if part and _NUMBER.search(part)]
    if len(parts) > 1:
        said = re.match(r"\W*(\d+)\b", parts[-1])  # "…, I mean 5 with my cousin"
        # « on est quatre, ben trois chums pis moé »: the number then the user, counted
        if said and not _AND_ME.search(parts[-1]):
            return _valid(int(said.group(1)))
        return count_founders(parts[-1], said_of_people=said_of_people)
    final = _final_total(text)
    if final is not None:
        return final
    p = _patterns(lex)
    # Bare numbers ("6 or more", "4 or 5") count only as the answer to "how many?".
    at_least = None if said_of_people else _AT_LEAST.search(t)
    if at_least:
        return _valid(int(at_least["n"]))
    spread = None if said_of_people else _RANGE.search(t)
    if spread and 0 < int(spread["high"]) - int(spread["low"]) <= MAX_RANGE_WIDTH:
        return _valid(int(spread["low"]))
    total = p["total"].search(t)
    if total:
        # « nous sommes trois mécaniciens, plus mon beau-frère qui fait la comptabilité »
        more = _PLUS_ONE_MORE.search(t, total.end())
        added = (int(more["n"]) if more and more["n"] else 1) if more else 0
        return _valid(_first_number(total) + added)

    others = sum(int(m.group("n")) for m in p["numbered_relational"].finditer(t))
    others += len(p["named"].findall(t))
    if p["self"].search(t):
        others += sum(int(m.group("n")) for m in p["numbered_group"].finditer(t))
    vague = p["vague"].search(t) is not None
    if vague:
        return None  # "moi et mes amis": the group's size is not said
    if others:
        return _valid(1 + others)
    self_plus = p["self_plus"].search(t)
    if self_plus:
        return _valid(1 + _first_number(self_plus))
    if lex.find(p["alone"], t):
        return 1
    # "around 20 households, maybe 25 by summer": the number said of the group, not the hope.
    grouped = {int(m.group("n")) for m in p["numbered_group"].finditer(t)}
    if len(grouped) == 1:
        return _valid(grouped.pop())
    if said_of_people:
        return None
    numbers = {int(n) for n in _NUMBER.findall(t)}
    if len(numbers) == 1:
        return _valid(numbers.pop())
    return None


_UNIT_AFTER = r"(?: de| d'| of)? (?=(?:mille|milles|thousand|grand|k|millions?)(?![a-z]))"


@lru_cache(maxsize=1)
def _number_words_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    lex = lexicon()
    values = {**lex.number_words, **lex.number_phrases}
    words = sorted(values, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![a-z0-9])(?P<w>" + "|".join(re.escape(w) for w in words) + r")" + _UNIT_AFTER
    )
    return pattern, values


def _number_words_before_units(folded: str) -> str:
    """Number words before a unit as digits: "une trentaine de mille" -> "30 mille"."""
    pattern, values = _number_words_pattern()

    def replace(match: re.Match[str]) -> str:
        before = folded[: match.start()].split()
        if before and (before[-1] in values or before[-1].isdigit()):
            return match.group(0)  # "cent cinquante mille": a compound this does not read
        return f"{values[match.group('w')]} "

    return pattern.sub(replace, folded)


def amount(text: str) -> int | None:
    """A sum of money written as a figure ("50 000 $", "80k", "1,5 million"), else None.

    A bare small number is not taken as money: it is more likely a count or a scale.
    """
    folded = _number_words_before_units(fold(text))
    for match in _AMOUNT.finditer(folded):
        raw, unit = match.group("num"), match.group("unit")
        grouped = re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+", raw)
        number = float(re.sub(r"\D", "", raw)) if grouped else float(raw.replace(",", "."))
        value = number * _UNITS.get(unit or "", 1)
        money_sign = "$" in folded or "dollar" in folded
        if unit or value >= 1_000 or money_sign:
            return int(value)
    return None


# Longer than this, a message that counts people may also say something else ("un resto pour
# nous 4 et nos familles").
COUNT_ONLY_WORDS = 6


def counts_people_only(text: str) -> int | None:
    """The founders a short message counts and does nothing else with ("on est 4 pour l'instant").

    Given to another question of the screening (the sector), it is the number of founders said
    early, not that answer. None for a longer message or one that counts no people.
    """
    if len(text.split()) > COUNT_ONLY_WORDS:
        return None
    return count_founders(text, said_of_people=True)
