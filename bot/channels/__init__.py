"""Hardened Rasa input channels: strict input checks, no message text in logs.

Rasa imports these channels in its own process: importing the package installs the log filter
that keeps the user's words out of Rasa's and Sanic's log records (``log_privacy``).
"""

from bot.channels import log_privacy

log_privacy.install()
