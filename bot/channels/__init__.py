"""Hardened Rasa input channels: strict input checks, no message text in logs."""
