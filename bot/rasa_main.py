"""Rasa's command line (``rasa …``) without JAX: ``python -m bot.rasa_main run …``.

TensorFlow Lite's utilities import JAX when it is installed (it is, as a dependency of the
TensorFlow stack), and Rasa 3.6 never uses it; importing it costs the Rasa process about 69 MiB
(docs/benchmarks.md). Marked as missing before Rasa imports TensorFlow, the optional import fails
the way TensorFlow expects and nothing else changes. ``scripts/run.py`` starts the Rasa server
this way.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run Rasa's command line with ``sys.argv``."""
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]
    from rasa.__main__ import main as rasa

    rasa()


if __name__ == "__main__":
    main()
