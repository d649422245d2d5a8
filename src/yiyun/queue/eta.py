"""The estimated wait shown to a patient.

Minutes per visit = the mean of the doctor's last K (=5) finished visits today (called → finished, each
clipped to 1–60 minutes so a mis-press or a coffee break does not swing it), where the visits not yet
seen count at the scheduled pace (window length ÷ numbers per window, e.g. 30 min ÷ 5 = 6 min). So the
first patients of the day see the scheduled pace and it moves to the doctor's real pace visit by visit.

Wait = (minutes until the session starts, if it has not) + patients ahead × minutes per visit + what is
left of the visit in progress (minutes per visit − minutes since that patient was called, at least 0),
rounded up to whole minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

RECENT_VISITS = 5
MIN_VISIT, MAX_VISIT = 1.0, 60.0
DEFAULT_PACE = 10.0  # when a session's windows say nothing usable


def scheduled_pace(*, window_minutes: float, places: int) -> float:
    if window_minutes <= 0 or places <= 0:
        return DEFAULT_PACE
    return window_minutes / places


def minutes_per_visit(recent: Sequence[float], *, pace: float, k: int = RECENT_VISITS) -> float:
    """`recent`: durations in minutes, newest first."""
    seen = [min(MAX_VISIT, max(MIN_VISIT, d)) for d in list(recent)[:k]]
    return (sum(seen) + (k - len(seen)) * pace) / k


def wait_minutes(*, ahead: int, per_visit: float, current_elapsed: float | None = None,
                 until_start: float = 0.0) -> int:
    left_of_current = max(0.0, per_visit - current_elapsed) if current_elapsed is not None else 0.0
    return math.ceil(max(0.0, until_start) + ahead * per_visit + left_of_current - 1e-9)
