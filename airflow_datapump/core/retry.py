"""How long to wait between attempts after a transient database failure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: ``initial``, then times ``factor``, capped at ``maximum``.

    :param attempts: retries after the first try; 0 disables retrying. Default 5.
    :param initial: seconds before the first retry. Default 1.
    :param maximum: the longest wait between tries. Default 30.
    :param factor: growth of the wait from one retry to the next. Default 2.
    """

    attempts: int = 5
    initial: float = 1.0
    maximum: float = 30.0
    factor: float = 2.0

    def delays(self) -> Iterator[float]:
        delay = self.initial
        for _ in range(self.attempts):
            yield min(delay, self.maximum)
            delay *= self.factor
