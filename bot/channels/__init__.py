"""Hardened Rasa input channels: strict input checks, no message text in logs.

Rasa imports the channel modules (``rest``, ``socketio``, ``bridge``: credentials.yml) in its own
process, and importing one installs there, once (``rasa_process.install``): the log filter that
keeps the user's words out of Rasa's and Sanic's log records (``log_privacy``), the apology sent
when the action server cannot run an action (``action_outage``), and the check of the action
server's answers with a validator made once (``action_responses``).

Importing the package itself installs nothing and loads nothing of Rasa's core: the action
server (the erasure marker), the Telegram bridge (sender digests) and the JSON log wrapper (the
log filter) use light modules of it without loading TensorFlow (about 490 MiB in the action
server before this; docs/benchmarks.md).
"""
