"""What the hardened channels accept and refuse."""

import pytest

from bot.channels.inbound import (
    MAX_MESSAGE_CHARS,
    MAX_SENDER_LENGTH,
    TOO_LONG_PAYLOAD,
    InvalidMessageError,
    decode_body,
    parse_body,
    sender_digest,
)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ([], "not_an_object"),
        ("Bonjour", "not_an_object"),
        (None, "not_an_object"),
        ({"message": "Bonjour"}, "sender_missing"),
        ({"sender": "", "message": "Bonjour"}, "sender_missing"),
        ({"sender": "   ", "message": "Bonjour"}, "sender_missing"),
        ({"sender": 42, "message": "Bonjour"}, "sender_missing"),
        ({"sender": "a b", "message": "Bonjour"}, "sender_malformed"),
        ({"sender": "x" * 129, "message": "Bonjour"}, "sender_malformed"),
        ({"sender": "abc"}, "message_missing"),
        ({"sender": "abc", "message": 3}, "message_missing"),
        ({"sender": "abc", "message": ""}, "message_empty"),
        ({"sender": "abc", "message": " \n\t "}, "message_empty"),
        ({"sender": "abc", "message": "hi", "metadata": ["fr"]}, "metadata_not_an_object"),
    ],
)
def test_refused(body, code):
    with pytest.raises(InvalidMessageError) as refused:
        parse_body(body)
    assert refused.value.code == code


def test_a_malformed_sender_is_refused_with_the_limit_not_the_value():
    with pytest.raises(InvalidMessageError) as refused:
        parse_body({"sender": "camille@example.org 514-555-0199", "message": "Bonjour"})
    assert refused.value.params == {"max_length": MAX_SENDER_LENGTH}
    assert "camille" not in str(refused.value) and "555" not in str(refused.value)


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
    # The same label in every process and replica, so one conversation's log lines can be found.
    assert sender_digest("+15145550199") == "af0dda800f26"
    assert sender_digest("+15145550198") == "1e6c773028f3"


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
    with pytest.raises(InvalidMessageError) as refused:
        decode_body(raw)
    assert refused.value.code == "not_json"


def test_lone_surrogates_are_refused_in_the_text_and_dropped_from_metadata():
    body = decode_body(b'{"sender": "abc", "message": "\\ud800 bonjour"}')
    with pytest.raises(InvalidMessageError) as refused:
        parse_body(body)
    assert refused.value.code == "message_not_text"
    body = decode_body(b'{"sender": "abc", "message": "hi", "metadata": {"language": "fr\\udfff"}}')
    assert parse_body(body).metadata == {}


@pytest.mark.parametrize("typed", ["/start", "/START", " /start ", "/commencer"])
def test_a_typed_start_command_greets_instead_of_starting_over(typed):
    assert parse_body({"sender": "abc", "message": typed}).text == "/greet"


def test_other_messages_with_start_are_kept():
    for text in ("/start_over", "start", "/start please", "on recommence"):
        assert parse_body({"sender": "abc", "message": text}).text == text
