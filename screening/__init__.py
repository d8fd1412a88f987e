"""Screening: does a cooperative suit this person's project, and which type? Pure Python, no Rasa.

The caller (the Rasa form) passes the answers and the founding minimums read from the knowledge
base, and turns the codes of the verdict into bilingual responses (texts.yml helps with that).
"""

from screening.answers import Answers, Minimum, Minimums
from screening.rules import Reason, Verdict, evaluate, summary
from screening.table import TableError, load_table

__all__ = [
    "Answers",
    "Minimum",
    "Minimums",
    "Reason",
    "TableError",
    "Verdict",
    "evaluate",
    "load_table",
    "summary",
]
