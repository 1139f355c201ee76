"""A progress callback that counts: what the transfer tests hand the engine to see its byte accounting."""

from __future__ import annotations


class CountingProgress:
    """Sums the totals announced (``on_start``) and the bytes reported (``on_bytes``); counts starts and ends."""

    def __init__(self) -> None:
        self.total = 0
        self.counted = 0
        self.started = 0
        self.done = 0

    def on_start(self, total_bytes: int, description: str) -> None:
        self.total += total_bytes
        self.started += 1

    def on_bytes(self, n: int) -> None:
        self.counted += n

    def on_done(self) -> None:
        self.done += 1
