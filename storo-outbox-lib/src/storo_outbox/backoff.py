"""Exponential backoff with full jitter.

Full jitter (a uniform draw between zero and the exponential ceiling) spreads the
retries of several relays or consumers that failed at the same moment, so they do not
hit a recovering endpoint in lockstep.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays for consecutive failures: ``uniform(0, min(cap, base * 2**n))``."""

    base: float = 0.2
    cap: float = 30.0
    failures: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def ceiling(self, failures: int) -> float:
        """The largest delay after ``failures`` consecutive failures."""
        return min(self.cap, self.base * 2.0 ** min(failures, 32))

    def delay_for(self, failures: int) -> float:
        """A jittered delay after ``failures`` earlier failures (state unchanged)."""
        return self._random.uniform(0, self.ceiling(failures))

    def next_delay(self) -> float:
        """Count one more failure and return how long to wait before retrying."""
        self.failures += 1
        return self.delay_for(self.failures - 1)

    def reset(self) -> None:
        """Forget past failures after a success."""
        self.failures = 0
