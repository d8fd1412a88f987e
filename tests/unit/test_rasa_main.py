"""Rasa's command line through bot.rasa_main: the same commands, without JAX in the process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.processes import fresh_python

ROOT = Path(__file__).resolve().parents[2]


def test_rasas_command_line_runs_through_the_launcher() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.rasa_main", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Rasa Version" in done.stdout and "3.6.21" in done.stdout


def test_tensorflow_loads_without_jax_after_the_launcher_marked_it_missing() -> None:
    code = (
        "import sys\n"
        "sys.modules.setdefault('jax', None)\n"
        "from tensorflow.lite.python import util\n"
        "import rasa.core.agent\n"
        "print(util._xla_computation is None, sys.modules['jax'] is None)\n"
    )
    assert fresh_python(code).split() == ["True", "True"]
