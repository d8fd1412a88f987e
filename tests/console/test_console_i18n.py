"""One catalogue per language, each with every key the console uses."""

from __future__ import annotations

import re
from pathlib import Path

from console.advisor import changes, i18n, pages_dossiers, pages_incidents, pages_partners
from privacy.models import CATEGORIES

ADVISOR = Path(i18n.__file__).parent
STATIC_KEY = re.compile(r"""(?:\b_|\bt)\(\s*["']([a-z_0-9]+\.[a-z_0-9.]*[a-z_0-9])["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*ADVISOR.glob("templates/*.html"), *ADVISOR.glob("*.py")]:
        keys |= set(STATIC_KEY.findall(path.read_text(encoding="utf-8")))
    keys |= {f"done.{code}" for code in pages_dossiers.DONE_CODES}
    keys |= {f"refused.{field}" for field in changes.FIELDS}
    keys |= {f"incident.field.{field}" for field in pages_incidents.FIELDS}
    keys |= {f"incident.error.{code}" for code in pages_incidents.PROBLEM_CODES}
    keys |= {f"incident.done.{code}" for code in pages_incidents.DONE_CODES}
    keys |= {f"erased.category.{category}" for category in CATEGORIES}
    keys |= {f"partners.done.{code}" for code in pages_partners.DONE_CODES}
    keys |= {f"partners.error.{code}" for code in pages_partners.ERROR_CODES}
    for prefix, codes in {
        "login.error": ("invalid", "throttled", "csrf"),
        "password.error": (
            "current_wrong",
            "mismatch",
            "same",
            "too_short",
            "too_long",
            "too_common",
        ),
        "error": ("404.title", "404.text", "403.title", "403.text"),
        "users.done": ("activated", "deactivated", "not_yourself"),
        "role": ("admin", "advisor"),
        "status": ("new", "in_progress", "closed"),
        "trigger": ("user_request", "repeated_fallback", "sensitive_topic", "after_screening"),
        "region": tuple(f"{n:02d}" for n in range(1, 18)),
        "privacy.error": ("no_key", "reference", "too_long", "unreachable"),
        "privacy.notice": ("nothing_found",),
        "incident.hint": (
            "information_concerned",
            "circumstances",
            "occurred_on",
            "discovered_on",
            "persons_concerned",
            "risk_assessment",
            "public_notice_reason",
            "measures_taken",
        ),
        "action": ("erased", "exported", "incident_recorded", "incident_updated"),
        "partners.status": ("active", "paused", "open", "closed"),
        "partners.answer": ("yes", "no", "none"),
        "partners.side": ("a", "b"),
        # Fields a refused project form can name.
        "partners.field": (
            "organisation",
            "title",
            "description",
            "region_code",
            "language",
            "sector",
            "roles_sought",
            "skills_sought",
            "languages",
            "availability",
        ),
    }.items():
        keys |= {f"{prefix}.{code}" for code in codes}
    return keys


def test_both_catalogues_have_the_same_keys() -> None:
    assert i18n.keys("fr") == i18n.keys("en")


def test_every_used_key_is_translated() -> None:
    missing = used_keys() - i18n.keys("fr")
    assert not missing, sorted(missing)


def test_translations_differ_and_fill_placeholders() -> None:
    fr, en = i18n.Translator("fr"), i18n.Translator("en")
    assert fr("nav.logout") == "Se déconnecter" and en("nav.logout") == "Log out"
    assert fr("pager.position", page=1, pages=3) == "Page 1 sur 3"
    assert fr.maybe("trigger", "unknown_code") == "unknown_code"
    assert i18n.Translator("de").lang == "fr"
