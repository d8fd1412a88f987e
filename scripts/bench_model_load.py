"""The Rasa server's share of a cold start: importing Rasa and loading the trained model, each run
in a fresh process, with our DIET loader (bot/nlu/diet.py) and, for comparison, Rasa's own (the
model class put back to Rasa's DIET: fit on one example, then read the weights).

Prints, per run, the seconds to import ``rasa.core.agent``, the seconds to load the newest model
of bot/models (``load_agent``) and the process's peak RSS. Not part of the tests:
``.venv/bin/python scripts/bench_model_load.py [--runs 2]`` (docs/benchmarks.md, 2026-12-05).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_RUN = """
import asyncio, json, resource, sys, time
started = time.perf_counter()
from rasa.core.agent import load_agent
imported = time.perf_counter()
if sys.argv[1] == "rasa":
    from rasa.nlu.classifiers.diet_classifier import DIET
    import bot.nlu.diet
    bot.nlu.diet.DIETClassifier.model_class = staticmethod(lambda: DIET)
asyncio.run(load_agent(model_path=sys.argv[2]))
loaded = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": imported - started, "load": loaded - imported, "peak": peak}))
"""


def newest_model() -> Path:
    models = sorted((ROOT / "bot" / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        sys.exit("no trained model in bot/models: run `make train` first")
    return models[-1]


def measure(loader: str, model: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        # endpoints.yml is not read here, but a loaded domain may expand variables.
        "ACTION_ENDPOINT_URL": os.environ.get("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook"),
    }
    done = subprocess.run(
        [sys.executable, "-c", _RUN, loader, str(model)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{loader}: failed\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    model = newest_model()
    print(f"model: {model.name}\n")
    print("| loader | run | import s | load model s | peak RSS MiB |")
    print("| --- | --- | --- | --- | --- |")
    for run in range(1, args.runs + 1):
        for loader in ("ours", "rasa"):
            found = measure(loader, model)
            print(
                f"| {loader} | {run} | {found['import']:.1f} | {found['load']:.1f} | "
                f"{found['peak']:.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
