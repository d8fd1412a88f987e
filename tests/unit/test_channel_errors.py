"""The channels' refusals: a stable code for programs, a text in the person's language (the body's
metadata, else Accept-Language, else French), and nothing the person sent in the body or the log.

The REST route's handler is called in this process with a stand-in for Sanic's request and for
Rasa's message handler; the socket.io refusals are checked on a served channel in
test_chat_limits.py.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.channels.errors import (
    CLIENT_CODES,
    MESSAGE_PROBLEMS,
    InvalidMessageError,
)
from bot.channels.rest import MAX_BODY_BYTES, HardenedRestInput
from bot.channels.texts import catalogue, error_body, reply_language
from bot.language import language_from_accept_language

PERSONAL = "camille.tremblay@example.org"


@dataclass
class FakeRequest:
    body: bytes
    headers: dict = field(default_factory=dict)
    ip: str = "127.0.0.1"


def rest_handler(on_new_message):
    blueprint = HardenedRestInput().blueprint(on_new_message)
    for route in blueprint._future_routes:
        if route.uri == "/webhook":
            return route.handler
    raise AssertionError("no /webhook route")


async def echo(message):
    await message.output_channel.send_text_message(message.sender_id, "echo")


async def post(body, headers: dict | None = None, on_new_message=echo):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = await rest_handler(on_new_message)(FakeRequest(raw, headers or {}))
    return reply.status, json.loads(reply.body), reply.headers


def test_every_code_a_client_can_get_has_two_different_texts():
    texts = catalogue()
    for code in CLIENT_CODES:
        assert texts[code]["fr"] != texts[code]["en"], code


def test_a_catalogue_missing_a_language_is_refused(tmp_path: Path):
    broken = tmp_path / "texts.yml"
    broken.write_text("errors:\n  not_json: {fr: Pas du JSON.}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="errors.not_json needs a fr and an en text"):
        catalogue(broken)


def test_a_catalogue_whose_languages_differ_in_placeholders_is_refused(tmp_path: Path):
    document = {"errors": {code: {"fr": "x", "en": "y"} for code in CLIENT_CODES}}
    document["errors"]["body_too_large"] = {"fr": "Plus de {max_bytes} octets.", "en": "Too big."}
    broken = tmp_path / "texts.yml"
    broken.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML
    with pytest.raises(ValueError, match="body_too_large: fr and en differ"):
        catalogue(broken)


def test_an_unknown_problem_code_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown message problem"):
        InvalidMessageError("the body is not valid JSON")


def test_an_unfilled_placeholder_stays_visible_rather_than_failing():
    body = error_body(InvalidMessageError("sender_malformed"), "en")
    assert "{max_length}" in body["message"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-CA,en;q=0.9,fr;q=0.8", "en"),
        ("fr-CA", "fr"),
        ("es-MX,es;q=0.9,en;q=0.5,fr;q=0.7", "fr"),  # the higher weight wins
        ("de, en_GB", "en"),
        ("en;q=0, fr;q=0.1", "fr"),  # q=0 means "not this one"
        ("en;q=abc", None),
        ("es, de", None),
        ("*", None),
        ("", None),
        (None, None),
    ],
)
def test_the_accepted_language(header, expected):
    assert language_from_accept_language(header) == expected


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        ({"metadata": {"language": "en-US"}}, "fr-CA", "en"),  # the body wins over the header
        ({"metadata": {"locale": "fr_CA"}}, "en", "fr"),
        ({"metadata": {"language": "es"}}, "en-GB", "en"),  # unsupported: the header decides
        ({"metadata": "en"}, None, "fr"),
        ([{"metadata": {"language": "en"}}], None, "fr"),  # not an object: French
        (None, "en-US,en;q=0.9", "en"),
        (None, None, "fr"),
    ],
)
def test_the_reply_language(body, header, expected):
    assert reply_language(body, header) == expected


# What a client reads, word for word: the limits filled in, nothing of what was sent.
@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (b"{not json", "not_json", "Le contenu de la requête n'est pas du JSON valide."),
        (
            b"[]",
            "not_an_object",
            "Le contenu de la requête doit être un objet JSON avec « sender » et « message ».",
        ),
        (
            {"message": "Bonjour"},
            "sender_missing",
            "Le champ « sender » est obligatoire (un texte non vide qui identifie la"
            " conversation).",
        ),
        (
            {"sender": "a b", "message": "Bonjour"},
            "sender_malformed",
            "Le champ « sender » doit compter au plus 128 caractères, parmi les lettres, les"
            " chiffres et _.:@-",
        ),
        (
            {"sender": "tg-1", "message": "Bonjour"},
            "sender_reserved",
            "Le champ « sender » ne peut pas commencer par web-, tg- : ces conversations"
            " appartiennent à d'autres canaux.",
        ),
        ({"sender": "abc"}, "message_missing", "Le champ « message » est obligatoire (un texte)."),
        ({"sender": "abc", "message": " "}, "message_empty", "Le champ « message » est vide."),
        (
            {"sender": "abc", "message": "hi", "metadata": 1},
            "metadata_not_an_object",
            "Le champ « metadata » doit être un objet JSON.",
        ),
    ],
)
async def test_a_refusal_has_a_code_and_a_french_text_by_default(body, code, message):
    assert code in MESSAGE_PROBLEMS
    status, reply, headers = await post(body)
    assert status == 400
    assert reply == {"error": code, "message": message}
    assert headers["Content-Language"] == "fr"


async def test_the_body_s_language_chooses_the_text_even_when_the_body_is_refused():
    body = {"sender": "abc", "message": "", "metadata": {"language": "en-CA"}}
    status, reply, headers = await post(body, {"accept-language": "fr-CA"})
    assert (status, reply["error"]) == (400, "message_empty")
    assert reply["message"] == "'message' is empty."
    assert headers["Content-Language"] == "en"


async def test_an_unreadable_body_is_answered_in_the_accepted_language():
    _, reply, _ = await post(b"{not json", {"accept-language": "en-US,en;q=0.9"})
    assert reply == {"error": "not_json", "message": "The body is not valid JSON."}


async def test_a_body_too_large_is_refused_with_the_limit():
    raw = json.dumps({"sender": "a", "message": "x" * MAX_BODY_BYTES}).encode()
    status, reply, _ = await post(raw, {"accept-language": "en"})
    assert status == 413
    assert reply == {"error": "body_too_large", "message": "The body is larger than 65536 bytes."}


async def test_a_failure_inside_rasa_is_a_503_without_the_person_s_words(caplog):
    async def failing(message):
        raise RuntimeError(f"could not parse {message.text}")

    body = {
        "sender": "person-xyz",
        "message": f"Écrivez à {PERSONAL}",
        "metadata": {"language": "fr"},
    }
    with caplog.at_level(logging.DEBUG):
        status, reply, _ = await post(body, on_new_message=failing)
    assert status == 503
    assert reply == {
        "error": "assistant_failed",
        "message": "L'assistant n'a pas pu répondre. Réessayez dans un moment.",
    }
    assert "RuntimeError" in caplog.text
    assert PERSONAL not in caplog.text and "person-xyz" not in caplog.text


async def test_no_refusal_repeats_what_was_sent():
    bodies = [
        {"sender": PERSONAL + " x", "message": "Bonjour"},
        {"sender": "tg-" + PERSONAL, "message": PERSONAL},
        {"sender": "abc", "message": ["Bonjour", PERSONAL]},
        {"sender": "abc", "message": "hi", "metadata": [PERSONAL]},
        {"sender": "web-" + PERSONAL, "message": PERSONAL, "metadata": {"language": PERSONAL}},
    ]
    for body in bodies:
        status, reply, _ = await post(body)
        assert status == 400
        assert PERSONAL not in json.dumps(reply, ensure_ascii=False), reply["error"]
