"""Queue order as data. Each entry has an integer `sort_key`; the doctor calls the smallest waiting key.

- On time: number n gets the key n × SLOT, so on-time patients are called by number (就诊序号) whenever
  they arrive.
- Everybody else (late arrivals, patients requeued after a missed call) is placed *between* two slots,
  at the midpoint of the gap after an anchor key, never on a slot key: a number that checks in later
  still lands exactly where its number says. When a gap has no integer left, the keys inside that one
  slot are re-spaced evenly (order kept) — a handful of rows, under the queue lock.

These functions are pure (lists of keys in, keys out); yiyun.queue.services reads and writes the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

SLOT = 1 << 20  # room for 20 halvings between two numbers before a slot is re-spaced


def on_time_key(number: int) -> int:
    return number * SLOT


def slot_of(key: int) -> int:
    return key // SLOT


def key_after(after: int, keys: Iterable[int]) -> int | None:
    """A key just after `after`: the midpoint up to the next existing key or the next number's slot,
    whichever comes first. None when no integer fits (re-space the slot, then ask again)."""
    upper = min([k for k in keys if k > after] + [(slot_of(after) + 1) * SLOT])
    if upper - after < 2:
        return None
    return after + (upper - after) // 2


def late_anchor(last_number: int, keys: Iterable[int]) -> int:
    """Where a late patient goes: after everything already placed in the slot of `last_number` (the last
    number of the window being served), so late patients keep their arrival order among themselves."""
    low, high = on_time_key(last_number), on_time_key(last_number + 1)
    return max((k for k in keys if low <= k < high), default=low)


def requeue_anchor(*, waiting_keys: Sequence[int], after_patients: int, own_key: int) -> int | None:
    """Where a patient who missed a call goes: after the `after_patients`-th waiting patient (or after
    the last one when fewer wait). None means "keep your key": missing a call never moves anyone ahead
    of where they already were."""
    if not waiting_keys:
        return None
    anchor = waiting_keys[min(after_patients, len(waiting_keys)) - 1]
    return anchor if anchor > own_key else None


def respace(keys: Sequence[int]) -> dict[int, int]:
    """New keys for the in-between keys of one slot, evenly spaced, order kept: {old: new}. The slot's
    own on-time key (if present) stays put."""
    if not keys:
        return {}
    base = slot_of(keys[0]) * SLOT
    inner = sorted(k for k in keys if k != base)
    step = SLOT // (len(inner) + 1)
    return {old: base + step * (i + 1) for i, old in enumerate(inner)}
