"""The assistant's domain as the action server reads it from ``bot/domain``, once.

Rasa sends the whole domain (about 120 KB of JSON) with every action call unless the action
endpoint enables the selective domain (endpoints.yml); then only the ``validate_*`` actions
receive it. The action server is deployed with the same ``bot/domain`` as the model it serves
(scripts/run.py trains from it; tests/unit/test_action_domain.py checks the two agree), so a call
that arrives without the domain is given this copy (bot/action_server.py): every action reads the
same responses, slots and forms as before, and no call carries them.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import Any

DOMAIN_DIR = Path(__file__).resolve().parents[1] / "domain"
_LOCK = threading.Lock()
_DOMAIN: dict[str, Any] = {}


def local_domain() -> dict[str, Any]:
    """The domain in the form Rasa sends it (``Domain.as_dict()``), loaded on first use."""
    if not _DOMAIN:
        with _LOCK:
            if not _DOMAIN:
                from rasa.shared.core.domain import Domain

                with warnings.catch_warnings():  # Rasa's note on 2.x slot auto-fill
                    warnings.simplefilter("ignore", UserWarning)
                    _DOMAIN.update(Domain.load(str(DOMAIN_DIR)).as_dict())
    return _DOMAIN
