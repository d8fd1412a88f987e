"""Simulated users: personas as data (personas.py), a driver that plays them against the real
assistant over REST (driver.py) and the figures of their conversations (metrics.py).

The development set (dev/) is for tuning; the held-out set (heldout/, written before any change
for issue 14) is only ever looked at in aggregate: scripts/eval_conversations.py enforces it.
"""
