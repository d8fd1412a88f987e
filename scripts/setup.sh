#!/usr/bin/env bash
# Install everything Coopilote needs into .venv: uv (if missing), Python 3.10, the locked packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1; then
  if [ ! -x .tools/bin/uv ]; then
    echo "• Installing uv into .tools/ …"
    python3 -m venv .tools
    .tools/bin/pip install --quiet uv
  fi
  export PATH="$PWD/.tools/bin:$PATH"
fi

# Rasa 3.6 runs on Python 3.10 only. pyenv's shim for python3.10 refuses to run while pyenv's
# global version is another one, and uv would then try to download Python: hand uv pyenv's 3.10
# directly when there is one. Elsewhere uv finds a 3.10 on PATH or downloads one.
if [ -z "${UV_PYTHON:-}" ] && command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix 3.10 2>/dev/null || true)
  if [ -n "$prefix" ] && [ -x "$prefix/bin/python3.10" ]; then
    export UV_PYTHON="$prefix/bin/python3.10"
  fi
fi

echo "• Installing the locked packages into .venv/ …"
# --compile-bytecode: the packages' .pyc files are written now (about 20 s once; 0.5 s when they
# are already there). Without them every start compiles Rasa and TensorFlow from source where
# Python may not write them (PYTHONDONTWRITEBYTECODE, a read-only install), and the first start
# does everywhere: `import rasa.core.agent` took 16-19 s instead of 6 s (docs/benchmarks.md).
uv sync --frozen --compile-bytecode
