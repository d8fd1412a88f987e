"""Comparison questions, answered by a comparing entry or by both sides.

"what's the difference between a worker co-op and a solidarity co-op?", « coop de travail ou coop
de solidarité? ». They are answered by an entry that compares (its id says so: ``x-vs-y``,
``compare-…``), or else by both sides, each searched on its own — never by one side alone, which
would read as an answer to the whole question.
"""

from __future__ import annotations

import re

# The two sides, in the order people write them. Matched on the lowercased question.
_X, _Y = r"\s+(?P<x>.+?)\s+", r"\s+(?P<y>.+?)\s*\??$"
_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?:dif+[eé]?r+[eé]nces?|diff)\s+(?:between|entre)" + _X + r"(?:and|et|pis|&)" + _Y,
        r"(?:how|in what way)\s+(?:is|are|does|do)"
        + _X
        + r"(?:differ|different)\s+(?:from|than|to)"
        + _Y,
        r"(?:compare|comparer|comparez|comparaison entre|comparison between)"
        + _X
        + r"(?:and|et|with|avec|to|à|a)"
        + _Y,
        # "is a solidarity co-op the same thing as a consumer co-op or no?"
        r"(?:is|are)\s+(?P<x>.+?)\s+(?:(?:the\s+)?same(?:\s+thing)?|similar)\s+(?:as|to)\s+"
        r"(?P<y>[^?]+?)\s*(?:\s(?:or|ou)\s+(?:not?|pas)\b.*|\?.*|$)",
        # « une coop de solidarité, c'est pareil qu'une coop de consommateurs? »
        r"^(?P<x>.+?),?\s+(?:c'est|c est|est)\s+(?:(?:la\s+)?m[eê]me\s+chose|pareil(?:le)?)\s+"
        r"(?:que|qu'|qu’|qu(?=\s))\s*(?P<y>[^?]+?)\s*(?:\s(?:or|ou)\s+(?:not?|pas)\b.*|\?.*|$)",
        r"^(?P<x>.+?)\s+(?:vs\.?|versus|contre|or|ou)\s+(?P<y>[^,?]+?)\s*(?:\?|,.*)?$",
    )
]
# Words at the start of a side that are not part of it ("c'est quoi la", "which is better,").
_LEAD = re.compile(
    r"^(?:(?:what(?:'s| is)|which is better|c'est quoi|quelle est|quoi choisir|on choisit|"
    r"est[- ]ce qu(?:e|'|’)|"
    r"should (?:we|i) (?:choose|pick|go with)|(?:je|on) devrait choisir|mieux)\s*[:,]?\s*)+",
    re.IGNORECASE,
)
# "X or Y?" compares two things only when X is one ("can I work or study?" is one question).
_NOT_A_THING = re.compile(
    r"^(?:can|could|do|does|did|is|are|will|would|should|may|must|est[- ]ce|dois|doit|doivent|"
    r"peut|peux|puis|pourrait|faut|je|j'|on|nous|we|i|you|vous|il|elle|my|mon|ma|mes)\b",
    re.IGNORECASE,
)
# An alternative with nothing of its own ("ou pas", "or not", "or something").
_EMPTY_SIDE = re.compile(r"^(?:pas|non|not|no|something|quelque chose|autre|other|else)$", re.I)
# A side that only points back ("is this the same as before?"): nothing to search for.
_POINTING_SIDE = re.compile(
    r"^(?:this|that|it|these|those|before|ça|ca|cela|ceci|avant|celle-ci|celui-ci)$", re.I
)
COMPARISON_IDS = re.compile(r"(?:^|-)vs-|^compare-")


def comparison_sides(question: str) -> tuple[str, str] | None:
    """The two things ``question`` compares, or None when it compares nothing."""
    text = " ".join(question.split())
    for n, pattern in enumerate(_PATTERNS):
        match = pattern.search(text)
        if not match:
            continue
        x = _LEAD.sub("", match.group("x")).strip(" ,:;")
        y = match.group("y").strip(" ,:;?")
        if n == len(_PATTERNS) - 1 and (_NOT_A_THING.search(x) or len(text.split()) > 12):
            continue
        if _POINTING_SIDE.match(x) or _POINTING_SIDE.match(y):
            continue
        if len(x) >= 3 and len(y) >= 3 and x.lower() != y.lower() and not _EMPTY_SIDE.match(y):
            return x, y
    return None


def is_comparison_entry(entry_id: str) -> bool:
    """Whether the entry compares two things, as its id says (``x-vs-y``, ``compare-…``)."""
    return bool(COMPARISON_IDS.search(entry_id))
