"""Every error of the chat channels, each with a stable ``code``.

The channels answer a refused request with ``{"error": code, "message": text}``: the code for
programs, the text for the person, in their language, from the catalogue ``texts.yml``
(``bot/channels/texts.py``). ``str(error)`` is the code, for logs: an error carries limits
(``params``) but never what the client sent, which may be personal.
"""

from __future__ import annotations


class ChannelError(Exception):
    """Base class; ``code`` says what happened, ``status`` is the HTTP status the REST channels
    answer with, ``params`` fill the placeholders of the code's text (constants only)."""

    code = "channel_error"
    status = 400

    def __init__(self, **params: object) -> None:
        super().__init__(self.code)
        self.params = params


# The ways a request or a socket.io event can fail to be a message (codes of InvalidMessageError).
MESSAGE_PROBLEMS = (
    "not_json",  # the body cannot be decoded as JSON
    "not_an_object",  # the body is JSON, but not an object
    "event_not_an_object",  # a socket.io event whose data is not an object
    "sender_missing",
    "sender_malformed",  # too long or with other characters than allowed ({max_length})
    "sender_reserved",  # starts with another channel's prefix ({prefixes})
    "sender_not_bridged",  # the bridge channel: not a Telegram conversation ({prefix})
    "message_missing",
    "message_not_text",  # a lone surrogate: not storable as UTF-8
    "message_empty",
    "metadata_not_an_object",
    "channel_not_bridged",  # the bridge channel: metadata.channel not one it speaks for
)


class InvalidMessageError(ChannelError, ValueError):
    """The request is not a valid message; ``code`` is one of ``MESSAGE_PROBLEMS``."""

    code = "invalid_message"

    def __init__(self, code: str, **params: object) -> None:
        if code not in MESSAGE_PROBLEMS:
            raise ValueError(f"unknown message problem code {code!r}")
        self.code = code
        super().__init__(**params)


class BodyTooLargeError(ChannelError):
    """The body is larger than the channel reads (``max_bytes``); refused before parsing."""

    code = "body_too_large"
    status = 413


class BridgeSecretError(ChannelError):
    """The bridge channel's shared secret is missing or wrong (or none is configured)."""

    code = "bridge_secret_required"
    status = 401


class SessionRequiredError(ChannelError):
    """A socket.io message before ``session_request``: no conversation to file it under."""

    code = "session_required"


class AssistantTimeoutError(ChannelError):
    """Rasa did not finish handling the message in time."""

    code = "assistant_timeout"
    status = 503


class AssistantFailedError(ChannelError):
    """Handling the message failed inside Rasa; the log has the error's type."""

    code = "assistant_failed"
    status = 503


class ProxySettingError(ChannelError, ValueError):
    """``CHAT_FORWARDED_ALLOW_IPS`` holds something that is not an IP address or network (or
    ``*``): a configuration error, raised when a channel starts, never sent to a client."""

    code = "invalid_forwarded_allow_ips"

    def __init__(self, item: str) -> None:
        super().__init__(item=item)
        self.args = (f"CHAT_FORWARDED_ALLOW_IPS: {item!r} is not an IP address or network",)


# Every code a client can receive: each has a text in both languages in texts.yml.
CLIENT_CODES = (
    *MESSAGE_PROBLEMS,
    BodyTooLargeError.code,
    BridgeSecretError.code,
    SessionRequiredError.code,
    AssistantTimeoutError.code,
    AssistantFailedError.code,
)
