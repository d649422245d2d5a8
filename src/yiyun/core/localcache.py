"""A small per-process cache with a time-to-live, for facts that are read on every request of a hot path
and change rarely (immutable real-name fields, a window's timetable). Bounded; thread-safe enough for
CPython (single dict operations are atomic)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
_MISSING = object()


class TTLCache(Generic[V]):
    def __init__(self, *, ttl: float, max_items: int = 10_000) -> None:
        self.ttl = ttl
        self.max_items = max_items
        self._items: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable, default=None):
        entry = self._items.get(key, _MISSING)
        if entry is _MISSING:
            return default
        expires, value = entry
        if expires < time.monotonic():
            self._items.pop(key, None)
            return default
        return value

    def set(self, key: Hashable, value: V, ttl: float | None = None) -> None:
        if len(self._items) >= self.max_items:
            self._items.clear()  # crude but bounded; a refill costs one query per key
        self._items[key] = (time.monotonic() + (self.ttl if ttl is None else ttl), value)

    def get_or_load(self, key: Hashable, loader: Callable[[], V]) -> V:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = loader()
            self.set(key, value)
        return value

    def pop(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()
