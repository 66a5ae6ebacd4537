"""Timestamps as the API server writes them, and kubectl's AGE column."""
from __future__ import annotations

import calendar
import time


def now_rfc3339() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def parse_rfc3339(value: str) -> float:
    return calendar.timegm(time.strptime(value[:19], "%Y-%m-%dT%H:%M:%S"))


def human_age(timestamp: str | None) -> str:
    """kubectl's duration.HumanDuration, enough for the ranges tests see."""
    if not timestamp:
        return "<unknown>"
    return human_duration(time.time() - parse_rfc3339(timestamp))


def human_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        return f"{minutes}m{seconds % 60}s" if seconds % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    return f"{hours // 24}d"
