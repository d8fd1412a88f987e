"""The persona's answer to one question: its own words (``says``, in order), a button when its
style would press one, or a plain sentence made from the fact when it has no words of its own.

Button styles:
- ``never``: always types.
- ``always``: presses the button whose meaning is exactly its answer whenever there is one.
- ``sometimes``: presses that button when it has no words of its own for the question, or when
  the question comes back after its first phrasing; otherwise types.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tests.conversations.personas import Facts, Persona
from tests.conversations.recognition import Button

QUEBEC_CITY = {"quebec", "ville de quebec", "quebec city", "la ville de quebec", "quebec ville"}
SECTOR_CODES = ("alimentation", "commerce", "services", "agriculture", "culture", "technologie")

# Plain sentences for a fact when the persona has no words of its own; {n}, {amount}, {value}.
PLAIN: dict[str, dict[str, dict[str, str]]] = {
    "fr": {
        "founders": {"1": "Je suis seul pour l'instant.", "n": "Nous sommes {n} en tout."},
        "members": {
            "workers": "Ce sont les personnes qui vont travailler dans l'entreprise.",
            "users": "Ce sont les clients qui utilisent les services.",
            "producers": "Des producteurs qui veulent mettre des services en commun.",
            "employees_buying_in": "Les employés qui veulent devenir actionnaires de l'entreprise.",
            "mix": "Un mélange : des travailleurs, des usagers et des gens qui nous soutiennent.",
        },
        "control": {
            "one_member_one_vote": "Chaque membre a un vote, peu importe l'argent.",
            "proportional_to_capital": "Ceux qui mettent plus d'argent devraient décider plus.",
        },
        "capital_need": {
            "amount": "Environ {amount} $.",
            "low": "Pas beaucoup, moins de 50 000 $.",
            "medium": "Entre 50 000 et 500 000 $.",
            "high": "Plus de 500 000 $.",
        },
        "outside_investors": {
            "none": "Non, pas d'investisseurs de l'extérieur.",
            "returns_only": "Oui, des investisseurs qui veulent un rendement.",
            "want_control": "Oui, et ils veulent avoir le contrôle.",
        },
        "surplus": {
            "by_use": "Selon ce que chacun utilise.",
            "by_work": "Selon le travail de chacun.",
            "by_capital": "Selon l'argent que chacun a mis.",
        },
        "yes": {"": "Oui."},
        "no": {"": "Non."},
        "unsure": {"": "Je ne sais pas."},
        "contact_method": {"email": "Par courriel.", "phone": "Par téléphone."},
        "no_phone": {"": "Je préfère ne pas donner mon numéro de téléphone."},
        "no_email": {"": "Je préfère ne pas donner mon courriel."},
        "rather_email": {
            "": "Je préfère ne pas donner mon téléphone, plutôt par courriel : {email}"
        },
        "rather_phone": {
            "": "Je préfère ne pas donner mon courriel, plutôt par téléphone : {phone}"
        },
        "age": {"n": "J'ai {n} ans.", "": "Je préfère ne pas le dire."},
        "organisation": {"": "Oui, ça me convient."},
        "request": {
            "screening": "Je voudrais savoir si une coopérative convient à mon projet.",
            "handoff": "Je voudrais parler à une personne-ressource.",
        },
    },
    "en": {
        "founders": {"1": "Just me for now.", "n": "We are {n} in total."},
        "members": {
            "workers": "The people who will work in the business.",
            "users": "The customers who use its services.",
            "producers": "Producers who want to pool services.",
            "employees_buying_in": "The employees who want to become shareholders of the company.",
            "mix": "A mix: workers, users and people who support us.",
        },
        "control": {
            "one_member_one_vote": "Each member gets one vote, whatever they put in.",
            "proportional_to_capital": "Whoever puts in more money should decide more.",
        },
        "capital_need": {
            "amount": "About ${amount}.",
            "low": "Not much, under $50,000.",
            "medium": "Between $50,000 and $500,000.",
            "high": "More than $500,000.",
        },
        "outside_investors": {
            "none": "No, no outside investors.",
            "returns_only": "Yes, investors who want a return.",
            "want_control": "Yes, and they want control.",
        },
        "surplus": {
            "by_use": "By how much each member uses it.",
            "by_work": "By each member's work.",
            "by_capital": "By the money each one put in.",
        },
        "yes": {"": "Yes."},
        "no": {"": "No."},
        "unsure": {"": "I don't know."},
        "contact_method": {"email": "By email.", "phone": "By phone."},
        "no_phone": {"": "I'd rather not give my phone number."},
        "no_email": {"": "I'd rather not give my email."},
        "rather_email": {"": "I'd rather not give my phone, email me instead: {email}"},
        "rather_phone": {"": "I'd rather not give my email, call me instead: {phone}"},
        "age": {"n": "I'm {n}.", "": "I'd rather not say."},
        "organisation": {"": "Yes, that's fine."},
        "request": {
            "screening": "I'd like to know if a co-op would suit my project.",
            "handoff": "I'd like to talk to an advisor.",
        },
    },
}
CHOICE_FACTS = ("members", "control", "capital_need", "outside_investors", "surplus")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).strip(" .!?")


@dataclass(frozen=True)
class Reply:
    """What the persona sends: ``text`` is typed words or a pressed button's payload."""

    text: str
    pressed: str | None = None  # the title of the pressed button


def _amount(value: int, lang: str) -> str:
    grouped = f"{value:,}"
    return grouped.replace(",", " ") if lang == "fr" else grouped


def answer_code(key: str, facts: Facts) -> str | None:
    """The persona's answer as the code a button would carry; None when it has no such code."""
    contact = facts.contact
    if key == "founders":
        return None if facts.founders is None else str(min(facts.founders, 6))
    if key in CHOICE_FACTS:
        return getattr(facts, key) or "unsure"
    if key == "governance_ready":
        return facts.governance_ready or "unsure"
    if key == "sector":
        return _fold(facts.sector) if facts.sector else None
    if key == "quebec_city":
        return "yes" if facts.city and _fold(facts.city) in QUEBEC_CITY else "no"
    if contact is None:
        return None
    if key in ("consent_summary", "consent_transcript"):
        return "yes" if getattr(contact, key) else "no"
    if key == "contact_method":
        return None if contact.method == "none" else contact.method
    if key == "need":
        return contact.need_kind or _need_kind(contact.need or "")
    if key == "age":
        if contact.age is None:
            return "unsaid"
        return "15-35" if contact.age <= 35 else "36+"
    return None


def _need_kind(need: str) -> str:
    folded = _fold(need)
    settling = ("emploi", "job", "install", "settl", "logement", "francis", "immigr")
    return "integration" if any(word in folded for word in settling) else "cooperative"


def matching_button(key: str, facts: Facts, buttons: tuple[Button, ...]) -> Button | None:
    """The button whose meaning is exactly the persona's answer, if any."""
    if not buttons:
        return None
    if key == "organisation":
        return buttons[0]  # the organisation proposed: the persona accepts it
    code = answer_code(key, facts)
    if code is None:
        return None
    if key == "quebec_city":
        # "Québec City" / "All of Québec" (no choice codes): the first one is the city.
        return buttons[0] if code == "yes" else (buttons[1] if len(buttons) > 1 else None)
    if key == "sector":
        exact = [b for b in buttons if b.choice == code]
        if not exact and code not in SECTOR_CODES:
            exact = [b for b in buttons if code and code in _fold(b.title)]
        return exact[0] if len(exact) == 1 else None
    exact = [b for b in buttons if b.choice == code]
    return exact[0] if len(exact) == 1 else None


def _plain(lang: str, group: str, code: str = "", **values: object) -> str:
    return PLAIN[lang][group][code].format(**values)


def plain_sentence(key: str, facts: Facts, lang: str) -> str:
    """A plain sentence stating the fact, in ``lang``, when the persona has no words for it."""
    contact = facts.contact
    code = answer_code(key, facts)
    if key == "project":
        return facts.project or _plain(lang, "unsure")
    if key == "sector":
        return facts.sector or _plain(lang, "unsure")
    if key == "city":
        return facts.city or _plain(lang, "unsure")
    if key == "founders":
        if facts.founders is None:
            return _plain(lang, "unsure")
        return _plain(lang, "founders", "1" if facts.founders == 1 else "n", n=facts.founders)
    if key == "capital_need" and facts.capital_amount and facts.capital_need != "unsure":
        return _plain(lang, "capital_need", "amount", amount=_amount(facts.capital_amount, lang))
    if key in CHOICE_FACTS:
        return _plain(lang, "unsure") if code == "unsure" else _plain(lang, key, str(code))
    if key in ("governance_ready", "quebec_city", "consent_summary", "consent_transcript"):
        return _plain(lang, {"yes": "yes", "no": "no"}.get(str(code), "unsure"))
    if key == "organisation":
        return _plain(lang, "organisation")
    if contact is None:
        return _plain(lang, "unsure")
    if key == "contact_method":
        return _plain(lang, "no_phone") if code is None else _plain(lang, "contact_method", code)
    # Asked for a contact it did not mean to give: it offers the one it prefers, if any.
    if key == "email":
        if contact.email:
            return contact.email
        if contact.phone:
            return _plain(lang, "rather_phone", phone=contact.phone)
        return _plain(lang, "no_email")
    if key == "phone":
        if contact.phone:
            return contact.phone
        if contact.email:
            return _plain(lang, "rather_email", email=contact.email)
        return _plain(lang, "no_phone")
    if key == "availability":
        return contact.availability or _plain(lang, "unsure")
    if key == "need":
        return contact.need or _plain(lang, "request", "screening")
    if key == "age":
        if contact.age is None:
            return _plain(lang, "age")
        return _plain(lang, "age", "n", n=contact.age)
    return _plain(lang, "unsure")


def _unknown(key: str, facts: Facts) -> bool:
    """Does the persona not know the answer (it then says how it does not know)?"""
    if key in ("founders", "city", "project", "sector"):
        return getattr(facts, key) is None
    if key in (*CHOICE_FACTS, "governance_ready"):
        return answer_code(key, facts) == "unsure"
    return False


def own_words(persona: Persona, key: str, facts: Facts) -> list[str]:
    """The persona's phrasings for this answer, in the order it uses them."""
    if _unknown(key, facts):
        return persona.says_for(key) or persona.says_for("unsure")
    words = persona.says_for(key)
    if words:
        return words
    if key == "capital_need":
        return persona.says_for("capital_amount")
    code = answer_code(key, facts)
    if key in ("consent_summary", "consent_transcript", "governance_ready", "quebec_city"):
        return persona.says_for(str(code)) if code in ("yes", "no") else []
    if key == "organisation":
        return persona.says_for("yes")
    return []


def answer(
    persona: Persona,
    key: str,
    facts: Facts,
    attempt: int,
    buttons: tuple[Button, ...],
    lang: str,
) -> Reply:
    """The persona's ``attempt``-th answer (0 = first) to the question ``key``."""
    words = own_words(persona, key, facts) if lang == persona.lang else []
    button = matching_button(key, facts, buttons)
    style = persona.style.buttons
    if button is not None and (
        style == "always" or (style == "sometimes" and (not words or attempt > 0))
    ):
        return Reply(button.payload, pressed=button.title)
    # Its own words in order, the last one again once they run out.
    phrasings = words or [plain_sentence(key, facts, lang)]
    return Reply(phrasings[min(attempt, len(phrasings) - 1)])


def request(
    persona: Persona, what: str, attempt: int, buttons: tuple[Button, ...], lang: str
) -> Reply:
    """How the persona asks (again) for what it came for: ``screening`` or ``handoff``."""
    payload = "/start_screening" if what == "screening" else "/request_human"
    if persona.style.buttons != "never":
        for button in buttons:
            if button.payload == payload:
                return Reply(button.payload, pressed=button.title)
    first = "screening" if persona.wants_screening else "handoff"
    words = persona.says_for("request") if (what == first and lang == persona.lang) else []
    if attempt < len(words):
        return Reply(words[attempt])
    return Reply(_plain(lang, "request", what))


def _readback_labels(lang: str) -> dict[str, tuple[str, str]]:
    """What the assistant says it understood ("the people who work in it") → (fact, code): the
    sentences a person who knows the assistant would recognise (screening/prototypes.yml)."""
    from screening.understanding import prototypes

    return {
        _fold(answer["label"][lang]): (question, str(code))
        for question, answers in prototypes().items()
        for code, answer in answers.items()
    }


def readback_is_right(text: str, facts: Facts, lang: str) -> bool:
    """Is every answer said back ("- Members : the people who work in it") the persona's own?"""
    labels = _readback_labels(lang)
    for line in text.splitlines():
        if not line.startswith("- ") or ":" not in line:
            continue
        understood = labels.get(_fold(line.split(":", 1)[1]))
        if understood is None:
            continue
        fact, code = understood
        if answer_code(fact, facts) not in (code, None):
            return False
    return True


def readback_reply(
    persona: Persona, facts: Facts, text: str, buttons: tuple[Button, ...], lang: str
) -> Reply:
    """Yes when what was understood is right, else no; pressed or typed as the persona would."""
    code = "yes" if readback_is_right(text, facts, lang) else "no"
    button = next((b for b in buttons if f'"{code}"' in b.payload), None)
    if button is not None and persona.style.buttons == "always":
        return Reply(button.payload, pressed=button.title)
    words = persona.says_for(code) if lang == persona.lang else []
    return Reply(words[0] if words else PLAIN[lang][code][""])
