"""Accounts of the advisors' console: users, passwords, sessions, login limits, API tokens."""
