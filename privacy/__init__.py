"""Data lifecycle under Québec's Law 25.

Retention and purge, erasure on request, export for an access request, and the
confidentiality-incident register. No Rasa import: the tracker store is reached through its own
SQL database.

Entry points: ``privacy.retention.purge``, ``privacy.erasure.erase_person``,
``privacy.export.export_person``, ``privacy.incidents.record_incident`` / ``list_incidents``,
and ``python -m privacy {purge,scheduler,erase,export,retention}``.
"""
