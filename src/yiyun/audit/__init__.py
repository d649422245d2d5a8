"""Audit: the append-only access log of every read or change of a patient's record."""
