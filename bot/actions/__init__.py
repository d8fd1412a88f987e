"""Custom actions: thin adapters between the Rasa tracker and the domain packages."""
