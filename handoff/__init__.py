"""Handoff to human advisors: the dossier store, routing, transcript snapshots and notifications.

Plain Python on the app database; the Rasa actions call it and it never imports Rasa.
"""
