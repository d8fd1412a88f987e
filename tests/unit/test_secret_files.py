"""The one writer of secret files: created private, kept, made private again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from console.auth import config
from privacy.secret_files import secret_file


def test_console_key_is_created_private_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[int] = []
    real_open = os.open

    def watching_open(path, flags, mode=0o777, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT:
            created.append(mode)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching_open)
    monkeypatch.setattr(config, "SECRET_FILE", tmp_path / "var" / "console-secret-key")
    monkeypatch.delenv("CONSOLE_SECRET_KEY", raising=False)
    key = config.secret_key()
    assert created == [0o600]  # private from creation, not chmod-ed afterwards
    assert len(key) >= 64
    assert config.secret_key() == key


def test_an_older_wider_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text("an-older-secret-of-enough-length\n")
    path.chmod(0o644)
    assert secret_file(path) == "an-older-secret-of-enough-length"
    assert path.stat().st_mode & 0o777 == 0o600
