"""poll_oneoff."""

from __future__ import annotations

from .. import poll


class PollSyscalls:
    def poll_oneoff(self, subscriptions: list[dict]) -> list[dict]:
        """Errors: EINVAL (no subscriptions, an unsupported clock, an invalid
        enum or flags value in a subscription), EBADF (an fd that cannot be
        polled). See poll.py."""
        return poll.poll_oneoff(self, subscriptions)
