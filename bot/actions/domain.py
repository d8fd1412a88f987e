"""The assistant's domain as the action server reads it from ``bot/domain``, once.

Rasa sends the whole domain (about 120 KB of JSON) with every action call unless the action
endpoint enables the selective domain (endpoints.yml); then only the ``validate_*`` actions
receive it. The action server is deployed with the same ``bot/domain`` as the model it serves
(scripts/run.py trains from it; tests/unit/test_action_domain.py checks the two agree), so a call
that arrives without the domain is given this copy (bot/action_server.py): every action reads the
same responses, slots and forms as before, and no call carries them.

Rasa's domain loader is run in a short-lived child process: importing it would keep about 10 MB
of Rasa's modules (and ruamel) in the action server for good (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

DOMAIN_DIR = Path(__file__).resolve().parents[1] / "domain"
_LOCK = threading.Lock()
_DOMAIN: dict[str, Any] = {}
_LOADER = """
import json, sys, warnings
from rasa.shared.core.domain import Domain
with warnings.catch_warnings():  # Rasa's note on 2.x slot auto-fill
    warnings.simplefilter("ignore", UserWarning)
    json.dump(Domain.load(sys.argv[1]).as_dict(), sys.stdout)
"""


def _load(directory: Path) -> dict[str, Any]:
    """``Domain.load(directory).as_dict()``, computed by a child process.

    Raises:
        RuntimeError: Rasa could not load the domain (its message is in the error).
    """
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script, our own directory
        [sys.executable, "-c", _LOADER, str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the domain in {directory} did not load: {done.stderr[-2000:]}")
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


def local_domain() -> dict[str, Any]:
    """The domain in the form Rasa sends it (``Domain.as_dict()``), loaded on first use."""
    if not _DOMAIN:
        with _LOCK:
            if not _DOMAIN:
                _DOMAIN.update(_load(DOMAIN_DIR))
    return _DOMAIN
