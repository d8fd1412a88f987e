"""The trained DIET, loaded by bot/nlu/diet.py, reads messages as Rasa's own loading does."""

from __future__ import annotations

import json

from tests.support.processes import fresh_python

# A new process loads the newest trained model twice, by our loader and by Rasa's (the model
# class put back to Rasa's DIET), and prints what each reads in the same messages: the NLU
# training examples (a sample of each file) and messages none of them contains.
_BOTH = """
import asyncio, json, random
from pathlib import Path
import yaml
from rasa.core.agent import load_agent
from rasa.nlu.classifiers.diet_classifier import DIET
import bot.nlu.diet

models = sorted(Path("bot/models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
assert models, "no trained model in bot/models: `make test` trains one first"
messages = ["in English please", "anglais svp", "ok english then. whats a ristourne",
            "je parle français et arabe", "I translate Arabic, French and English. Could a co-op "
            "work for me?", "non merci, I'll call them myself", "englsh pls", "FR", "Franchise ou "
            "coop?", "asdfgh qwerty", "😀", "une boulangerie à Sherbrooke avec 3 amis"]
for path in sorted(Path("bot/data/nlu").rglob("*.yml")):
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
        lines = [l[2:] for l in (block.get("examples") or "").splitlines() if l.startswith("- ")]
        messages += random.Random(path.name).sample(lines, min(8, len(lines)))

async def read(model):
    agent = await load_agent(model_path=str(model))
    out = []
    for text in messages:
        parsed = await agent.parse_message(text)
        out.append({
            "intent": parsed["intent"]["name"],
            "ranking": [(r["name"], r["confidence"]) for r in parsed["intent_ranking"][:5]],
            "entities": [(e["entity"], e["start"], e["end"], e.get("value"))
                         for e in parsed["entities"]],
        })
    return out

ours = asyncio.run(read(models[-1]))
bot.nlu.diet.DIETClassifier.model_class = staticmethod(lambda: DIET)
rasas = asyncio.run(read(models[-1]))
print(json.dumps({"ours": ours, "rasa": rasas}))
"""


def test_the_quickly_loaded_diet_reads_as_rasas_loading_does():
    both = json.loads(fresh_python(_BOTH, timeout=600).splitlines()[-1])
    ours, rasas = both["ours"], both["rasa"]
    assert len(ours) == len(rasas) > 150
    assert any(r["entities"] for r in rasas)  # the language entity is among what is compared
    for mine, theirs in zip(ours, rasas, strict=True):
        assert mine["intent"] == theirs["intent"]
        assert mine["entities"] == theirs["entities"]
        for (name, confidence), (their_name, their_confidence) in zip(
            mine["ranking"], theirs["ranking"], strict=True
        ):
            assert name == their_name
            assert abs(confidence - their_confidence) < 1e-4
