"""Profiles, projects and introductions in the app database: consent and age gates, audit,
state machine, and contact details revealed only when both sides said yes."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

import appdb
import matchmaking
from handoff.models import AuditEvent
from matchmaking.models import MatchProfile
from tests.matchmaking.conftest import CONSENT, make_profile


def count_profiles() -> int:
    with appdb.session_scope() as session:
        return session.execute(select(func.count()).select_from(MatchProfile)).scalar_one()


def test_a_profile_keeps_its_consent_and_notice_version(database) -> None:
    profile = make_profile()
    assert profile.reference.startswith("MP-")
    assert profile.notice_version == "3" and profile.consent_wording_version == "match-2026-12-v1"
    assert profile.contact_value == "sender-1@example.org"
    with appdb.session_scope() as session:
        actions = session.execute(
            select(AuditEvent.action, AuditEvent.details).where(
                AuditEvent.reference == profile.reference
            )
        ).all()
    assert actions[0][0] == "profile_created"
    assert "sender-1@example.org" not in str(actions)


@pytest.mark.parametrize(
    "consent",
    [
        dataclasses.replace(CONSENT, granted=False),
        dataclasses.replace(CONSENT, notice_version=""),
        dataclasses.replace(CONSENT, wording_version=" "),
    ],
)
def test_without_consent_nothing_is_stored(database, consent) -> None:
    with pytest.raises(matchmaking.ConsentRequiredError) as refused:
        matchmaking.create_profile("s", "rest", "fr", consent, age=30, sector="food")
    assert refused.value.code == "consent_required"
    assert count_profiles() == 0


@pytest.mark.parametrize(("age", "adult"), [(17, None), (12, True), (None, False)])
def test_minors_are_refused(database, age, adult) -> None:
    with pytest.raises(matchmaking.MinorRefusedError) as refused:
        matchmaking.create_profile("s", "rest", "fr", CONSENT, age=age, adult=adult)
    assert refused.value.code == "minor_refused"
    assert count_profiles() == 0


def test_an_age_or_a_confirmation_is_required(database) -> None:
    with pytest.raises(matchmaking.InvalidFieldError, match="age"):
        matchmaking.create_profile("s", "rest", "fr", CONSENT)
    assert matchmaking.create_profile("s", "rest", "fr", CONSENT, adult=True).intent is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sector", "weapons"),
        ("region_code", "18"),
        ("role", "boss"),
        ("languages", ["fr", "klingon"]),
        ("project_text", "x" * 501),
        ("contact_value", "not an email"),
        ("organisation_key", "unknown-org"),
    ],
)
def test_bad_values_are_refused_by_field(database, field, value) -> None:
    with pytest.raises(matchmaking.InvalidFieldError) as refused:
        make_profile(**{field: value})
    assert refused.value.field in (field, "contact_value")
    assert count_profiles() == 0


def test_the_person_changes_pauses_and_reactivates(database) -> None:
    profile = make_profile()
    changed = matchmaking.update_profile(
        profile.reference, {"sector": "agriculture", "skills": "maraîchage, vente"}, by="person"
    )
    assert changed.sector == "agriculture" and changed.skills == ("maraîchage", "vente")
    assert changed.last_activity_at > profile.last_activity_at
    paused = matchmaking.set_profile_status(profile.reference, "paused", by="person")
    assert paused.status == "paused"
    assert matchmaking.profiles_of("sender-1")[0].status == "paused"


@pytest.mark.parametrize(
    ("state", "a", "b", "expected"),
    [
        ("proposed", "yes", None, "accepted_by_one"),
        ("proposed", None, "yes", "accepted_by_one"),
        ("accepted_by_one", "yes", "yes", "accepted_by_both"),
        ("proposed", "no", None, "declined"),
        ("accepted_by_one", "yes", "no", "declined"),
    ],
)
def test_state_machine(state, a, b, expected) -> None:
    assert matchmaking.next_state(state, a, b) == expected


@pytest.mark.parametrize("state", ["declined", "accepted_by_both", "met", "outcome"])
def test_answers_are_closed_after_a_decision(state) -> None:
    with pytest.raises(matchmaking.TransitionRefusedError):
        matchmaking.next_state(state, "yes", "yes")


def test_contact_details_only_after_both_said_yes(database) -> None:
    a = make_profile("alice-sender")
    b = make_profile("bruno-sender", intent="join_project")
    intro = matchmaking.propose(a.reference, b.reference, by="paul")
    assert intro.state == "proposed" and intro.contact_a is None and intro.contact_b is None
    intro = matchmaking.record_answer(intro.reference, "a", "yes", by="paul")
    assert intro.state == "accepted_by_one" and intro.contact_b is None
    intro = matchmaking.record_answer(intro.reference, "b", "yes", by="person")
    assert intro.state == "accepted_by_both"
    assert intro.contact_a == matchmaking.introductions.Contact("email", "alice-sender@example.org")
    assert intro.contact_b is not None
    assert intro.contact_b.value == "bruno-sender@example.org"
    intro = matchmaking.mark_met(intro.reference, by="paul")
    intro = matchmaking.record_outcome(intro.reference, "founding_together", by="paul")
    assert (intro.state, intro.outcome) == ("outcome", "founding_together")
    matchmaking.add_note(intro.reference, "Rencontre au café", by="paul")
    with appdb.session_scope() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.details).where(
                AuditEvent.reference == intro.reference
            )
        ).all()
    assert [e[0] for e in events] == [
        "introduction_proposed",
        "introduction_answer",
        "introduction_answer",
        "introduction_met",
        "introduction_outcome",
        "introduction_note",
    ]
    assert "example.org" not in str(events) and "café" not in str(events)


def test_a_no_declines_and_hides_contacts(database) -> None:
    a = make_profile("alice-sender")
    b = make_profile("bruno-sender", intent="join_project")
    intro = matchmaking.propose(a.reference, b.reference, by="paul")
    matchmaking.record_answer(intro.reference, "a", "yes", by="paul")
    intro = matchmaking.record_answer(intro.reference, "b", "no", by="paul")
    assert intro.state == "declined" and intro.contact_a is None
    with pytest.raises(matchmaking.TransitionRefusedError):
        matchmaking.mark_met(intro.reference, by="paul")


def test_introductions_refused_between_one_person_paused_or_twice(database) -> None:
    a = make_profile("alice-sender")
    same = make_profile("alice-sender", intent="join_project")
    with pytest.raises(matchmaking.NotMatchableError):
        matchmaking.propose(a.reference, same.reference, by="paul")
    b = make_profile("bruno-sender", intent="join_project")
    matchmaking.propose(a.reference, b.reference, by="paul")
    with pytest.raises(matchmaking.NotMatchableError):
        matchmaking.propose(a.reference, b.reference, by="paul")
    matchmaking.set_profile_status(b.reference, "paused", by="person")
    c = make_profile("carla-sender", intent="join_project")
    matchmaking.set_profile_status(c.reference, "paused", by="person")
    with pytest.raises(matchmaking.NotMatchableError):
        matchmaking.propose(a.reference, c.reference, by="paul")


def test_projects_and_their_suggestions(database, encoder) -> None:
    project = matchmaking.publish_project(
        "cdrq",
        title="Épicerie coopérative",
        description="Une épicerie coopérative de quartier cherche des membres travailleurs",
        region_code="06",
        language="fr",
        sector="food",
        roles_sought=["worker"],
        languages=["fr"],
        by="paul",
    )
    joiner = make_profile("bruno-sender", intent="join_project")
    far = make_profile("zoe-sender", intent="join_project", region_code="08", reach="own_region")
    ranked = matchmaking.suggest_for(project.reference, encoder)
    assert [r.suggestion.reference for r in ranked] == [joiner.reference]
    assert "role_sought" in ranked[0].suggestion.codes
    assert far.reference not in [r.other.reference for r in ranked]
    for_person = matchmaking.suggest_for(joiner.reference, encoder)
    assert project.reference in [r.other.reference for r in for_person]
    # A suggestion never carries contact details.
    assert "example.org" not in repr(ranked) + repr(for_person)
    intro = matchmaking.propose(joiner.reference, project.reference, by="paul")
    assert intro.side_b_project is not None and intro.contact_b is None
    matchmaking.set_project_status(project.reference, "closed", by="paul")
    assert matchmaking.suggest_for(joiner.reference, encoder) == [] or project.reference not in [
        r.other.reference for r in matchmaking.suggest_for(joiner.reference, encoder)
    ]


def test_paused_profiles_are_not_suggested(database, encoder) -> None:
    a = make_profile("alice-sender")
    b = make_profile("bruno-sender", intent="join_project")
    assert [r.other.reference for r in matchmaking.suggest_for(a.reference, encoder)] == [
        b.reference
    ]
    matchmaking.set_profile_status(b.reference, "paused", by="person")
    assert matchmaking.suggest_for(a.reference, encoder) == []


def test_the_other_side_sees_the_sentence_only_once_an_advisor_reviewed_it(database) -> None:
    a = make_profile("alice-sender", project_text="Mon projet: traiteur, appelez Alice")
    b = make_profile("bruno-sender", intent="join_project")
    intro = matchmaking.propose(a.reference, b.reference, by="paul")
    told_to_b = intro.summary_for("b")
    assert told_to_b["text"] is None and told_to_b["sector"] == "food"
    assert "alice" not in repr(told_to_b).lower()
    matchmaking.review_text(a.reference, by="paul")
    told_to_b = matchmaking.get_introduction(intro.reference).summary_for("b")
    assert told_to_b["text"] == "Mon projet: traiteur, appelez Alice"
    # A new sentence needs a new review.
    matchmaking.update_profile(a.reference, {"project_text": "Autre chose"}, by="person")
    assert matchmaking.get_introduction(intro.reference).summary_for("b")["text"] is None
    with appdb.session_scope() as session:
        actions = session.execute(
            select(AuditEvent.action).where(AuditEvent.reference == a.reference)
        ).scalars()
        assert "profile_text_reviewed" in list(actions)


def test_projects_shown_to_a_person_who_asks(database) -> None:
    def publish(region: str, sector: str, status: str = "open") -> str:
        project = matchmaking.publish_project(
            "cdrq",
            title=f"Projet {region} {sector}",
            description="Une coopérative cherche des membres",
            region_code=region,
            language="fr",
            sector=sector,
            by="paul",
        )
        if status == "closed":
            matchmaking.set_project_status(project.reference, "closed", by="paul")
        return project.reference

    montreal = publish("06", "food")
    laval = publish("13", "food")
    publish("06", "housing")
    publish("03", "food")
    publish("06", "food", status="closed")
    assert [p.reference for p in matchmaking.projects_near("06", "food")] == [montreal]
    near = [p.reference for p in matchmaking.projects_near("06", "food", neighbouring=True)]
    assert near == [montreal, laval]
    assert len(matchmaking.projects_near("06")) == 2
