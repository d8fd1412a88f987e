#!/usr/bin/env bash
# Every test: lint, types, data validation, training (skipped when nothing changed),
# conversation tests, then pytest (unit, knowledge base, end to end with the real servers).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
BIN=.venv/bin
step() { printf '\n=== %s\n' "$*"; }

step "lint and format (ruff)"
$BIN/ruff check .
$BIN/ruff format --check .

step "types (mypy on the application code: domain packages, bot, console, scripts; and tests)"
$BIN/mypy  # the files and settings are pyproject.toml's [tool.mypy]

step "rasa data validate"
mkdir -p var/log
run_logged() {  # run a command into a log; show its tail; fail with it
  local log=$1; shift
  if "$@" >"$log" 2>&1; then status=0; else status=$?; fi
  grep -vE "Epochs|Processed|^\s*$|Warning|warn\(|^\s+" "$log" | tail -"${TAIL:-6}" || true
  if [ "$status" -ne 0 ]; then echo "failed (status $status); full output in $log"; return "$status"; fi
}
run_logged var/log/validate.log $BIN/rasa data validate --domain bot/domain --data bot/data --config config.yml

step "train (rasa skips it when data, domain and config are unchanged)"
run_logged var/log/train.log $BIN/rasa train --domain bot/domain --data bot/data --config config.yml --out bot/models

step "conversation tests (rasa test --fail-on-prediction-errors)"
rm -rf results
TAIL=12 run_logged var/log/rasa-test.log $BIN/rasa test core --model bot/models --stories tests/stories \
  --out results --fail-on-prediction-errors

step "browser test tools (system Chromium, axe-core from the npm registry)"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
      >var/log/apt.log 2>&1 || echo "could not install chromium (see var/log/apt.log)"
  else
    echo "chromium is missing and cannot be installed here (needs root and apt-get)"
  fi
fi
command -v chromium >/dev/null 2>&1 && chromium --version || true
if [ -f tests/browser/package-lock.json ]; then
  npm ci --prefix tests/browser --no-audit --no-fund --silent
fi

step "nginx for the production layout's tests (tests/deploy: two Rasa replicas behind it)"
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) \
      >var/log/apt-nginx.log 2>&1 || echo "could not install nginx (see var/log/apt-nginx.log)"
  else
    echo "nginx is missing and cannot be installed here (needs root and apt-get): tests/deploy skip"
  fi
fi
{ command -v nginx || ls /usr/sbin/nginx; } >/dev/null 2>&1 && /usr/sbin/nginx -v 2>&1 || true

step "knowledge base sentence vectors (encoded once, then read from var/cache)"
$BIN/python -m knowledge_base encode

step "pytest (unit, knowledge base, screening, handoff, end to end, browser, Telegram)"
$BIN/python -m pytest -p no:cacheprovider -rxs tests "$@"
