"""Partner matchmaking ("maillage").

People who want to found or join a cooperative meet the partners it needs, through an advisor and
only with both sides' agreement.

Plain Python on the app database; no Rasa, no web import. Callers use this facade:

- profiles: ``create_profile`` (consent for this purpose with the notice's version; adults only),
  ``update_profile``, ``review_text`` (an advisor read the sentence), ``set_profile_status``,
  ``get_profile``, ``profiles_of``, ``list_profiles``;
- projects looking for members: ``publish_project``, ``set_project_status``, ``get_project``,
  ``list_projects``, ``projects_near`` (what the chat shows a person who asks);
- matching: ``Matcher`` / ``Candidate`` (pure), ``suggest_for`` (from the store); reasons are
  codes rendered by ``render_reason`` in French or English;
- free text shown to someone else: ``redact`` masks phone numbers and e-mail addresses,
  ``contact_kinds`` says which kinds a text holds (the advisor's warning);
- introductions: ``propose``, ``record_answer``, ``mark_met``, ``record_outcome``, ``add_note``,
  ``get_introduction``, ``introductions_of``;
- errors: ``matchmaking.errors`` (each with a ``code``).
"""

from matchmaking.errors import (
    ConsentRequiredError,
    DataFileError,
    InvalidFieldError,
    MatchmakingError,
    MinorRefusedError,
    NotFoundError,
    NotMatchableError,
    StoreUnavailableError,
    TransitionRefusedError,
)
from matchmaking.introductions import (
    IntroductionView,
    add_note,
    get_introduction,
    introductions_of,
    mark_met,
    next_state,
    propose,
    record_answer,
    record_outcome,
)
from matchmaking.matching import Candidate, Matcher, Reason, Suggestion
from matchmaking.profiles import (
    ConsentGiven,
    create_profile,
    get_profile,
    get_project,
    list_profiles,
    list_projects,
    profiles_of,
    publish_project,
    review_text,
    set_profile_status,
    set_project_status,
    update_profile,
)
from matchmaking.records import ProfileView, ProjectView
from matchmaking.redaction import contact_kinds, redact
from matchmaking.regions import load_regions
from matchmaking.rules import load_rules
from matchmaking.suggestions import RankedSuggestion, SideSummary, projects_near, suggest_for
from matchmaking.texts import label
from matchmaking.texts import render as render_reason

__all__ = [
    "Candidate",
    "ConsentGiven",
    "ConsentRequiredError",
    "DataFileError",
    "IntroductionView",
    "InvalidFieldError",
    "Matcher",
    "MatchmakingError",
    "MinorRefusedError",
    "NotFoundError",
    "NotMatchableError",
    "ProfileView",
    "ProjectView",
    "RankedSuggestion",
    "Reason",
    "SideSummary",
    "StoreUnavailableError",
    "Suggestion",
    "TransitionRefusedError",
    "add_note",
    "contact_kinds",
    "create_profile",
    "get_introduction",
    "get_profile",
    "get_project",
    "introductions_of",
    "label",
    "list_profiles",
    "list_projects",
    "load_regions",
    "load_rules",
    "mark_met",
    "next_state",
    "profiles_of",
    "projects_near",
    "propose",
    "publish_project",
    "record_answer",
    "record_outcome",
    "redact",
    "render_reason",
    "review_text",
    "set_profile_status",
    "set_project_status",
    "suggest_for",
    "update_profile",
]
