"""What the hardened channels accept and refuse."""

import pytest

from bot.channels.inbound import (
    MAX_MESSAGE_CHARS,
    TOO_LONG_PAYLOAD,
    InvalidMessageError,
    decode_body,
    parse_body,
    sender_digest,
)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ([], "JSON object"),
        ("Bonjour", "JSON object"),
        (None, "JSON object"),
        ({"message": "Bonjour"}, "'sender' is required"),
        ({"sender": "", "message": "Bonjour"}, "'sender' is required"),
        ({"sender": "   ", "message": "Bonjour"}, "'sender' is required"),
        ({"sender": 42, "message": "Bonjour"}, "'sender' is required"),
        ({"sender": "a b", "message": "Bonjour"}, "'sender' must be"),
        ({"sender": "x" * 129, "message": "Bonjour"}, "'sender' must be"),
        ({"sender": "abc"}, "'message' is required"),
        ({"sender": "abc", "message": 3}, "'message' is required"),
        ({"sender": "abc", "message": ""}, "'message' is empty"),
        ({"sender": "abc", "message": " \n\t "}, "'message' is empty"),
        ({"sender": "abc", "message": "hi", "metadata": ["fr"]}, "'metadata' must be"),
    ],
)
def test_refused(body, complaint):
    with pytest.raises(InvalidMessageError, match=complaint):
        parse_body(body)


def test_accepted_with_only_allowed_metadata():
    inbound = parse_body(
        {
            "sender": "user-1",
            "message": "  Bonjour  ",
            "metadata": {"language": "fr-CA", "email": "someone@example.org", "channel": "web"},
        }
    )
    assert inbound.sender == "user-1"
    assert inbound.text == "Bonjour"
    assert inbound.metadata == {"language": "fr-CA", "channel": "web"}


def test_a_message_too_long_becomes_a_request_to_shorten():
    inbound = parse_body({"sender": "u", "message": "a" * (MAX_MESSAGE_CHARS + 1)})
    assert inbound.text == TOO_LONG_PAYLOAD


def test_sender_digest_hides_the_sender():
    digest = sender_digest("+15145550199")
    assert "5145550199" not in digest and len(digest) == 12
    assert digest == sender_digest("+15145550199")


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 20_000 + b"]" * 20_000,  # RecursionError inside the parser
        b'{"a": ' * 5_000 + b"1" + b"}" * 5_000,
        b"{not json",
        b"\xff\xfe",
        b"",
    ],
)
def test_a_body_that_is_not_json_is_refused(raw):
    with pytest.raises(InvalidMessageError, match="not valid JSON"):
        decode_body(raw)


def test_lone_surrogates_are_refused_in_the_text_and_dropped_from_metadata():
    body = decode_body(b'{"sender": "abc", "message": "\\ud800 bonjour"}')
    with pytest.raises(InvalidMessageError, match="not valid Unicode"):
        parse_body(body)
    body = decode_body(b'{"sender": "abc", "message": "hi", "metadata": {"language": "fr\\udfff"}}')
    assert parse_body(body).metadata == {}
