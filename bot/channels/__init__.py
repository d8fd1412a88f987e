"""Hardened Rasa input channels: strict input checks, no message text in logs.

Rasa imports these channels in its own process: importing the package installs the log filter
that keeps the user's words out of Rasa's and Sanic's log records (``log_privacy``), and the
apology sent when the action server cannot run an action (``action_outage``), and the check of
the action server's answers with a validator made once (``action_responses``).
"""

from bot.channels import action_outage, action_responses, log_privacy

log_privacy.install()
action_outage.install()
action_responses.install()
