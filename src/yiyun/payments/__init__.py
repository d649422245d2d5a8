"""Payments: fees paid through a gateway (provider interface + a sandbox gateway), refunds, and the
double-entry ledger that proves no fen is lost. Orders (bookings, pharmacy orders…) plug in via `registry`."""
