"""The action server's own copy of the domain is the one the trained model holds.

Rasa sends the domain only to the ``validate_*`` actions (selective domain, endpoints.yml); the
other calls get ``bot/actions/domain.local_domain()``. If the two ever differed, an action would
read responses the model does not have; `make test` trains the model first.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import yaml
from rasa.shared.core.domain import Domain

from bot.actions.domain import local_domain
from tests.support.processes import fresh_python

ROOT = Path(__file__).resolve().parents[2]


def _latest_model() -> Path:
    models = sorted((ROOT / "bot" / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    assert models, "no trained model in bot/models: `make test` trains one first"
    return models[-1]


def test_the_local_domain_is_the_trained_models(tmp_path: Path) -> None:
    with tarfile.open(_latest_model()) as archive:
        member = next(
            m for m in archive.getmembers() if m.name.endswith("domain_provider/domain.yml")
        )
        stored = archive.extractfile(member)
        assert stored is not None
        (tmp_path / "domain.yml").write_bytes(stored.read())
    assert local_domain() == Domain.load(str(tmp_path / "domain.yml")).as_dict()


def test_selective_domain_is_on() -> None:
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["enable_selective_domain"] is True


def test_the_local_domain_has_what_actions_read() -> None:
    domain = local_domain()
    from privacy.notice import SHORT_NOTICE_RESPONSE

    assert {"fr", "en"} == {
        c["value"]
        for variation in domain["responses"][SHORT_NOTICE_RESPONSE]
        for c in variation.get("condition") or []
    }
    assert domain["slots"]["language"]["mappings"] == [{"type": "custom"}]
    assert "screening_form" in domain["forms"]


def test_reading_the_domain_keeps_rasa_out_of_the_action_server() -> None:
    # Rasa's loader runs in a child process: its modules would stay in the action server's memory.
    code = (
        "import sys\n"
        "from bot.actions.domain import local_domain\n"
        "assert 'screening_form' in local_domain()['forms']\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rasa'))\n"
    )
    assert fresh_python(code).strip() == "[]"


def test_a_domain_rasa_cannot_load_is_said(tmp_path: Path) -> None:
    import pytest

    from bot.actions.domain import _load

    with pytest.raises(RuntimeError, match="did not load"):
        _load(tmp_path / "no-such-directory")
