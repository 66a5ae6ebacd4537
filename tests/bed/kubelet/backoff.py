"""The kubelet's exponential back-off (flowcontrol.Backoff), scaled down, and Go durations."""
from __future__ import annotations

import time


class Backoff:
    """Doubles from `base` to `cap`; forgets itself after 2*cap without a new failure."""

    def __init__(self, base: float, cap: float, clock=time.monotonic):
        self.base, self.cap, self._clock = base, cap, clock
        self.duration: float | None = None
        self._updated = 0.0

    def next(self) -> None:
        now = self._clock()
        if self.duration is None or now - self._updated > 2 * self.cap:
            self.duration = self.base
        else:
            self.duration = min(self.duration * 2, self.cap)
        self._updated = now

    def in_backoff_since(self, since: float) -> bool:
        """IsInBackOffSince: still waiting out the current duration, counted from `since`."""
        return self.duration is not None and self._clock() - since < self.duration

    def in_backoff(self) -> bool:
        """IsInBackOffSinceUpdate: counted from the last failure recorded with next()."""
        return self.in_backoff_since(self._updated)

    def remaining(self, since: float | None = None) -> float:
        if self.duration is None:
            return 0.0
        start = self._updated if since is None else since
        return max(0.0, start + self.duration - self._clock())


def go_duration(seconds: float) -> str:
    """Go's time.Duration String(): 500ms, 10s, 1m20s, 1.5s."""
    if seconds < 1:
        ms = seconds * 1000
        return f"{ms:.0f}ms" if ms == int(ms) else f"{ms:g}ms"
    minutes, rest = divmod(seconds, 60)
    text = f"{rest:.9f}".rstrip("0").rstrip(".") + "s"
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{int(hours)}h{int(minutes)}m{text}"
    return f"{int(minutes)}m{text}" if minutes else text
