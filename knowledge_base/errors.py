"""Every error of the knowledge-base package, each with a stable ``code``.

Callers map a code to a text of their own catalogue; messages are English, for writers and logs
(a content problem names the file, the field path and what is wrong).
"""

from __future__ import annotations

from dataclasses import dataclass


class KnowledgeBaseError(Exception):
    """Base class; ``code`` says what happened."""

    code = "knowledge_base_error"


@dataclass(frozen=True)
class Problem:
    """One problem in a content file: where (file, field path) and what."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class ContentError(KnowledgeBaseError):
    """One or more problems in knowledge-base files; ``problems`` lists them all."""

    code = "content"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def path(self) -> str:
        """The file of the first problem."""
        return self.problems[0].path

    @property
    def field(self) -> str:
        """The field path of the first problem."""
        return self.problems[0].field


class EncoderConfigError(KnowledgeBaseError, ValueError):
    """``COOPILOTE_ENCODER`` names no encoder that can be built."""

    code = "encoder_config"
