"""Coopilote's web app: the chat widget's files, its demo page, and the advisors' console."""
