"""Shared building blocks used by every domain app: ids, errors, crypto, masking, rate limits, SMS."""
