"""Every environment variable the code reads is documented (README.md or docs/)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "appdb",
    "bot",
    "catalogues",
    "console",
    "handoff",
    "knowledge_base",
    "matchmaking",
    "privacy",
    "screening",
    "scripts",
)
# os.environ.get("X"), os.environ["X"], os.getenv("X"), env.get("X"), env.setdefault("X", …),
# and constants named *_ENV = "X" that are read the same way.
_READ = re.compile(
    r"""(?:environ(?:\.get)?\(|environ\[|getenv\(|env\.get\(|env\[|setdefault\(|_ENV = )\s*"""
    r"""["']([A-Z][A-Z0-9_]{2,})["']"""
)


def _variables_read() -> set[str]:
    names: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            names.update(_READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_scan_finds_the_variables_it_should() -> None:
    found = _variables_read()
    expected = {"DATABASE_URL", "COOPILOTE_WEB_URL", "ACTION_SERVER_SECRET", "HANDOFF_MAIL_DIR"}
    assert expected <= found


def test_every_environment_variable_read_is_documented() -> None:
    documented = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))
    )
    missing = sorted(name for name in _variables_read() if name not in documented)
    assert not missing, f"read by the code, documented nowhere: {missing}"
