"""Money is an integer number of fen everywhere; this is the one place that turns it into yuan for people."""

from __future__ import annotations


def yuan(fen: int) -> str:
    """12345 → "123.45"; −50 → "-0.50". Exact: no floating point."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def format_yuan(fen: int) -> str:
    """12345 → "¥123.45"."""
    return f"¥{yuan(fen)}"
