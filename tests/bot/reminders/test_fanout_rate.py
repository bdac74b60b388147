"""A big fan-out runs near Teams' app-wide limit without ever exceeding it."""

from __future__ import annotations

from bot.teams.proactive import PER_APP_LIMITS, RateLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_two_thousand_sends_take_at_most_1_2_times_what_the_limit_imposes() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    stamps = []
    for i in range(2000):
        await limiter.acquire(f"a:personal-{i}")
        stamps.append(fake.now)
    per_second = PER_APP_LIMITS[0][0]
    assert fake.now <= 1.2 * 2000 / per_second
    j = 0
    for i, start in enumerate(stamps):  # no window of one second holds more than the limit
        while j < len(stamps) and stamps[j] < start + 1.0:
            j += 1
        assert j - i <= per_second - 1
