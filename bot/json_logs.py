"""JSON log lines on standard output, for containers (deploy/): one object a line, without the
user's words.

Every line goes through ``bot.channels.log_privacy.RedactUserText`` first (message text,
e-mail addresses and phone numbers redacted). A message that is itself a JSON object (Rasa's
structured events) is kept as an object under ``event``.

- Rasa: ``rasa run … --logging-config-file deploy/logging.yml`` (that file names
  ``JsonFormatter``) with ``COOPILOTE_JSON_LOGS=1``: Rasa's command line then adds coloredlogs'
  handler and Sanic its own, which our channels replace when Rasa builds their routes
  (``bot.channels.log_privacy.install``).
- Our processes: ``python -m bot.json_logs MODULE [ARGS…]`` runs ``python -m MODULE ARGS…``
  with the root logger writing JSON; ``COOPILOTE_JSON_LOGS=1`` tells the action server and the
  web app to leave the root logger as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import runpy
import sys

from bot.channels.log_privacy import RedactUserText

ENV_FLAG = "COOPILOTE_JSON_LOGS"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        stripped = message.strip()
        event = None
        if stripped.startswith("{") and stripped.endswith("}"):
            try:
                event = json.loads(stripped)
            except ValueError:
                event = None
        if isinstance(event, dict):
            entry["event"] = event
        else:
            entry["message"] = message
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_handler(stream=None) -> logging.Handler:  # type: ignore[no-untyped-def]
    """A handler writing redacted JSON lines to ``stream`` (standard output by default)."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactUserText())
    return handler


def configure(level: int = logging.INFO, stream=None) -> None:  # type: ignore[no-untyped-def]
    """The root logger writes JSON lines, and nothing else does: the handlers that libraries
    installed (coloredlogs on the root, Sanic's on its loggers) are removed, their loggers'
    records go to the root."""
    logging.captureWarnings(True)
    handler = json_handler(stream)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and logger.handlers:
            logger.handlers.clear()
            logger.propagate = True  # to the root's handler, once


def enabled() -> bool:
    return os.environ.get(ENV_FLAG) == "1"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m bot.json_logs MODULE [ARGS...]", file=sys.stderr)
        return 2
    os.environ[ENV_FLAG] = "1"
    configure()
    module, *rest = args
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
