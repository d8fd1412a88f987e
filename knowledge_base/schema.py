"""The format of one knowledge entry (CONTENT_FORMAT.md) as pydantic models, and the error type.

Every problem is reported as a ``ContentError`` naming the file, the field path (``short.en``,
``sources[0].url``) and what is wrong, so that a writer can fix the file without reading code.
Reading and cross-checking files is in ``knowledge_base.validation``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlparse

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from knowledge_base.errors import ContentError as ContentError
from knowledge_base.errors import Problem as Problem
from knowledge_base.sources import url_problem
from screening.answers import REGION_CODES

KINDS = ("concept", "rule", "process", "resource", "program", "region")
LANGS = ("fr", "en")
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Status = Literal[
    "any",
    "permanent_resident",
    "citizen",
    "refugee",
    "temporary_worker",
    "student",
    "asylum_seeker",
]
Need = Literal["cooperative", "integration", "employment", "financing", "business"]
RegionCode = Literal[
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17",
]  # fmt: skip
STATUSES, NEEDS = get_args(Status), get_args(Need)
# The Literal above types the pydantic fields; the list itself is screening.answers.REGION_CODES.
if get_args(RegionCode) != REGION_CODES:
    raise ImportError("RegionCode differs from screening.answers.REGION_CODES")


# Whitespace-only text counts as missing: a blank translation is as bad as none.
_TEXT: dict[str, Any] = {"strip_whitespace": True, "min_length": 1}
Text40 = Annotated[str, StringConstraints(**_TEXT, max_length=40)]
Text80 = Annotated[str, StringConstraints(**_TEXT, max_length=80)]
Text120 = Annotated[str, StringConstraints(**_TEXT, max_length=120)]
Text200 = Annotated[str, StringConstraints(**_TEXT, max_length=200)]
Text300 = Annotated[str, StringConstraints(**_TEXT, max_length=300)]
Text450 = Annotated[str, StringConstraints(**_TEXT, max_length=450)]
Text500 = Annotated[str, StringConstraints(**_TEXT, max_length=500)]
Text600 = Annotated[str, StringConstraints(**_TEXT, max_length=600)]
Text1500 = Annotated[str, StringConstraints(**_TEXT, max_length=1500)]

EntryId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]


class _Strict(BaseModel):
    # Strict: a YAML number where text is expected (code: 06) is an error, not a silent "6".
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Title(_Strict):
    """An entry's title in French and English."""

    fr: Text120
    en: Text120


class Short(_Strict):
    """The short answer, in French and English: what the assistant says first."""

    fr: Text450
    en: Text450


class Long(_Strict):
    """The longer answer, in French and English, for "tell me more"."""

    fr: Text1500
    en: Text1500


class Note(_Strict):
    """A short text in French and English (eligibility notes, a program's conditions)."""

    fr: Text600
    en: Text600


class Keywords(_Strict):
    """Other words and names for the entry, per language, that the search counts as labels."""

    fr: list[Text80] = Field(default_factory=list, max_length=40)
    en: list[Text80] = Field(default_factory=list, max_length=40)


class Questions(_Strict):
    """Questions as people type them, the entry being their answer: strong search evidence."""

    fr: list[Text200] = Field(default_factory=list, max_length=15)
    en: list[Text200] = Field(default_factory=list, max_length=15)


class Services(_Strict):
    """What a resource offers, one line per service, in French and English."""

    fr: list[Text200] = Field(min_length=1, max_length=20)
    en: list[Text200] = Field(min_length=1, max_length=20)


def _check_http_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
        raise ValueError("must be an http(s) URL such as https://www.example.org/page")
    return value


SourceType = Literal["primary", "secondary"]
# How the entry's facts were last checked: a person read its sources on the ``verified`` date, or
# the entry was written from the shared fact sheet without reopening them (stale lists those).
Verification = Literal["sources-read", "fact-sheet"]
# Whether Bill 111 (adopted 17 February 2026) changed a rule, as far as the text read shows.
Bill111 = Literal["changed", "unchanged", "not-confirmed"]


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError(f"{value.isoformat()} is in the future")
    return value


class Source(_Strict):
    """One page an entry cites, and the day a person last opened it.

    A source is primary (the official text, the organisation's own page) or secondary (anything
    reporting on it).
    """

    title: Text300
    url: Text500
    type: SourceType
    accessed: date = Field(strict=False)
    article: Text40 | None = None

    _url = field_validator("url")(_check_http_url)
    _accessed = field_validator("accessed")(_not_future)

    @field_validator("url")
    @classmethod
    def _acceptable_url(cls, value: str) -> str:
        problem = url_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class Eligibility(_Strict):
    """Who a resource serves: an age range and immigration statuses, None meaning no limit."""

    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    statuses: list[Status] | None = None
    notes: Note | None = None


class Contact(_Strict):
    """A resource's public contact: web page, email, phone."""

    url: Text500 | None = None
    email: Text200 | None = None
    phone: Text40 | None = None

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        return None if value is None else _check_http_url(value)


class Amount(_Strict):
    """An amount a program gives, in words per language, and the year it applies to."""

    fr: Text300
    en: Text300
    year: int = Field(ge=1990, le=2100)


FactName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


class Entry(_Strict):
    """Fields shared by every kind; ``text``/``items`` read a bilingual field in one language."""

    id: EntryId
    kind: str
    title: Title
    short: Short
    long: Long
    keywords: Keywords = Field(default_factory=Keywords)
    questions: Questions = Field(default_factory=Questions)
    sources: list[Source] = Field(min_length=1)
    # The day a person last checked the facts (see ``verification`` for how); quoted or not.
    verified: date = Field(strict=False)
    verification: Verification
    # Why no primary source is cited (none exists, or it could not be reached): required then.
    no_primary_source: Text300 | None = None
    related: list[EntryId] = Field(default_factory=list)
    topic: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$", max_length=60)] | None = None
    # Machine-readable figures that other packages use (screening reads "min_founders"); each must
    # also be stated, with its source, in the entry's texts.
    facts: dict[FactName, dict[FactName, Annotated[int, Field(ge=0, le=1_000_000)]]] = Field(
        default_factory=dict
    )

    _verified = field_validator("verified")(_not_future)

    def text(self, field: str, lang: str) -> str:
        """The text of a bilingual field in ``lang`` ("" when the field is unset).

        Raises:
            TypeError: the field holds lists (use ``items``).
        """
        value = getattr(self, field)
        if value is None:
            return ""
        text = getattr(value, lang)
        if not isinstance(text, str):
            raise TypeError(f"{field} is a list field; use items()")
        return text

    def items(self, field: str, lang: str) -> list[str]:
        """The list of a bilingual list field in ``lang`` (empty when the field is unset)."""
        value = getattr(self, field)
        return [] if value is None else list(getattr(value, lang))


class ConceptEntry(Entry):
    """What something is (a worker co-op, a patronage refund)."""

    kind: Literal["concept"]


class ProcessEntry(Entry):
    """How to do something, step by step (incorporate a co-op, meet its yearly obligations)."""

    kind: Literal["process"]


class RuleEntry(Entry):
    """A rule of the Act, with the version read and what Bill 111 did to it.

    At least one source must cite an article.
    """

    kind: Literal["rule"]
    law_version: Text600
    bill_111: Bill111

    @field_validator("law_version")
    @classmethod
    def _names_the_version(cls, value: str) -> str:
        if not re.search(r"\b(19|20)\d\d\b", value):
            raise ValueError("name the version of the Act that was read, with its date")
        return value

    @field_validator("sources")
    @classmethod
    def _one_article(cls, sources: list[Source]) -> list[Source]:
        if not any(s.article for s in sources):
            raise ValueError("a rule needs at least one source with an `article`")
        return sources


class ResourceEntry(Entry):
    """An organisation people can be sent to: where it serves, whom, for which needs."""

    kind: Literal["resource"]
    regions: list[Literal["all", RegionCode]] = Field(min_length=1)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    services: Services | None = None
    needs: list[Need] = Field(min_length=1)
    contact: Contact | None = None


class ProgramEntry(Entry):
    """A funding or support program, with its amounts and conditions."""

    kind: Literal["program"]
    amounts: list[Amount] = Field(default_factory=list)
    conditions: Note | None = None


class RegionEntry(Entry):
    """One of Québec's 17 administrative regions and its cities (read by the gazetteer)."""

    kind: Literal["region"]
    code: RegionCode
    cities: list[Text80] = Field(min_length=1)


MODELS: dict[str, type[Entry]] = {
    "concept": ConceptEntry,
    "rule": RuleEntry,
    "process": ProcessEntry,
    "resource": ResourceEntry,
    "program": ProgramEntry,
    "region": RegionEntry,
}
