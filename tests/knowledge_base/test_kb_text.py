"""spaCy's French is loaded without its tokenizer's patterns, and lemmatises the same."""

from __future__ import annotations

import json

from tests.support.processes import fresh_python

# Lemmas and parts of speech of every French text of the content, by a new process; {first}
# runs before the knowledge base's own loading.
_LEMMATISE = """
import json, sys
from pathlib import Path
import yaml
{first}
from knowledge_base.text import nlp, words
from spacy.tokens import Doc

texts = []
def walk(node):
    if isinstance(node, str):
        texts.append(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "en":
                walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)
for path in sorted(Path("knowledge_base/content").rglob("*.yml")):
    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
model = nlp("fr")
docs = [Doc(model.vocab, words=w) for w in (words(t, "fr") for t in texts) if w]
found = [[(t.lemma_, t.pos_) for t in doc] for doc in model.pipe(docs, batch_size=64)]
patterns = sys.modules["spacy.lang.fr.tokenizer_exceptions"].TOKEN_MATCH is not None
print(json.dumps({{"patterns": patterns, "lemmas": found}}))
"""


def test_french_lemmas_are_the_same_without_the_tokenizer_patterns():
    light = json.loads(fresh_python(_LEMMATISE.format(first="")))
    # French imported first, as spaCy alone would: its real tokenizer module stays.
    full = json.loads(fresh_python(_LEMMATISE.format(first="import spacy.lang.fr")))
    assert not light["patterns"] and full["patterns"]
    assert len(light["lemmas"]) > 3000
    assert light["lemmas"] == full["lemmas"]
