"""A verdict made ready to show, in one language.

The chat's action and the advisors' console (result page, orientation sheet) both call
``present``, so they say the same things.

The knowledge base is passed in (anything with ``get``, ``entries`` and ``resources_for``): this
package never imports it, and never holds a sentence of its own (texts.yml and the entries do).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from screening.answers import Answers, Minimums
from screening.rules import Verdict, evaluate, summary
from screening.texts import text

MINIMUMS_ENTRY = "minimum-founding-members"
# The knowledge-base entry that explains each co-op type in plain language.
COOP_TYPE_ENTRIES = {
    "travail": "coop-types-worker",
    "travailleurs_actionnaires": "coop-types-worker-shareholder",
    "producteurs": "coop-types-producer",
    "consommateurs": "coop-types-consumer",
    "solidarite": "coop-types-solidarity",
}
# The need that makes an organisation fit a screening's result.
RESOURCE_NEED = "cooperative"


@dataclass(frozen=True)
class ReasonText:
    """One reason of the verdict, explained in the reader's language."""

    code: str
    effect: str  # fits | condition | to_settle | against | note (screening.rules.Reason)
    text: str


@dataclass(frozen=True)
class SourceText:
    """A source the explanations rest on: its title and address."""

    title: str
    url: str


@dataclass(frozen=True)
class Presentation:
    """Everything a reader is shown about one verdict, in ``lang``."""

    lang: str
    verdict: Verdict
    coop_fit: str
    coop_type: str  # a code, or "none"
    coop_type_name: str | None  # "une coopérative de travail"
    coop_type_meaning: str | None  # the knowledge base's short explanation of the type
    reasons: list[ReasonText]
    to_settle: list[str]
    next_steps: list[str]
    region_code: str | None
    region_name: str | None
    # ResourceEntry objects of the knowledge base, local ones first.
    resources: list[Any] = field(default_factory=list)
    # The knowledge base's sources behind the reasons, the type and the organisations.
    sources: list[SourceText] = field(default_factory=list)


def minimums_from(kb: Any) -> Minimums:
    """The founding minimums stated in the knowledge base."""
    return Minimums.from_facts(kb.get(MINIMUMS_ENTRY).facts, MINIMUMS_ENTRY)


def verdict_for(answers: Answers, kb: Any) -> Verdict:
    """The decision table applied with the knowledge base's founding minimums."""
    return evaluate(answers, minimums_from(kb))


def _sources(kb: Any, entry_ids: list[str]) -> list[SourceText]:
    seen: dict[str, SourceText] = {}
    for entry_id in entry_ids:
        if entry_id not in kb:
            continue
        for source in kb.get(entry_id).sources:
            seen.setdefault(source.url, SourceText(source.title, source.url))
    return list(seen.values())


def present(answers: Answers, verdict: Verdict, lang: str, kb: Any) -> Presentation:
    """The verdict's texts in ``lang``, with the organisations of the answers' region that fit."""
    values = {
        "founders": answers.founders or 0,
        "minimum": verdict.founders_minimum.count if verdict.founders_minimum else "",
    }
    coop_type = verdict.recommended_coop_type
    type_entry = COOP_TYPE_ENTRIES.get(coop_type)
    meaning = None
    if type_entry is not None and type_entry in kb:
        meaning = kb.get(type_entry).text("short", lang)
    region_code = answers.region_code
    region = next((e for e in kb.entries("region") if e.code == region_code), None)
    resources = list(kb.resources_for(region_code, need=RESOURCE_NEED))
    cited = [r.kb_entry for r in verdict.reasons if r.kb_entry]
    if type_entry:
        cited.append(type_entry)
    cited += [resource.id for resource in resources]
    return Presentation(
        lang=lang,
        verdict=verdict,
        coop_fit=verdict.coop_fit,
        coop_type=coop_type,
        coop_type_name=None if coop_type == "none" else text("coop_types", coop_type, lang),
        coop_type_meaning=meaning,
        reasons=[
            ReasonText(r.code, r.effect, text("reasons", r.code, lang, **values))
            for r in verdict.reasons
        ],
        to_settle=[text("to_settle", name, lang) for name in verdict.to_settle],
        next_steps=[text("next_steps", code, lang, **values) for code in verdict.next_steps],
        region_code=region_code,
        region_name=region.text("title", lang) if region else None,
        resources=resources,
        sources=_sources(kb, cited),
    )


@dataclass(frozen=True)
class Conclusion:
    """A screening concluded: what to show (with the verdict) and the record kept for a handoff."""

    shown: Presentation
    summary: dict[str, Any]

    @property
    def verdict(self) -> Verdict:
        """The verdict shown."""
        return self.shown.verdict


def conclude(
    answers: Answers, lang: str, kb: Any, typed: Mapping[str, str] | None = None
) -> Conclusion:
    """The verdict on ``answers``, made ready to show in ``lang``, and its summary record.

    Args:
        answers: The answers as understood.
        lang: ``fr`` or ``en``.
        kb: The knowledge base (founding minimums, type explanations, organisations).
        typed: The answers as the person typed them, kept in the summary when given.

    Returns:
        The presentation and the JSON-able summary (``screening.rules.summary``).
    """
    verdict = verdict_for(answers, kb)
    return Conclusion(present(answers, verdict, lang, kb), summary(answers, verdict, typed=typed))
