"""Each organisation has its own bucket: a burst is allowed, a flood is slowed, others go on."""

from __future__ import annotations

import pytest

from vptr.auth.ratelimit import TokenBucketLimiter, retry_after_header


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_served_and_the_request_after_it_is_told_when_to_retry():
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=2.0, burst=5, clock=clock)

    served = [limiter.acquire("heavy") for _ in range(5)]
    refused = limiter.acquire("heavy")

    assert served == [0.0] * 5
    assert refused == pytest.approx(0.5)  # one token comes back every half second


def test_a_flooding_organisation_does_not_use_up_another_organisations_tokens():
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=1.0, burst=3, clock=clock)
    for _ in range(100):
        limiter.acquire("heavy")

    assert limiter.acquire("light") == 0.0
    assert limiter.acquire("heavy") > 0


def test_tokens_come_back_at_the_configured_rate_up_to_the_burst():
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=10.0, burst=4, clock=clock)
    for _ in range(4):
        limiter.acquire("org")
    clock.now += 0.2  # two tokens back

    assert [limiter.acquire("org") for _ in range(3)] == [0.0, 0.0, pytest.approx(0.1)]

    clock.now += 3600  # a long pause refills to the burst, not beyond
    assert sum(limiter.acquire("org") == 0.0 for _ in range(10)) == 4


def test_refused_requests_do_not_dig_the_bucket_deeper():
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=1.0, burst=1, clock=clock)
    limiter.acquire("org")
    for _ in range(50):
        limiter.acquire("org")
    clock.now += 1.0

    assert limiter.acquire("org") == 0.0


def test_memory_stays_bounded_when_many_passing_clients_come_by():
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=10.0, burst=10, clock=clock, max_buckets=100)
    for i in range(1000):
        limiter.acquire(f"ip:10.0.{i // 256}.{i % 256}")
        clock.now += 0.5

    assert len(limiter._buckets) <= 100


def test_a_limit_without_rate_or_burst_is_a_configuration_error():
    with pytest.raises(ValueError, match="positive rate"):
        TokenBucketLimiter(rate=0, burst=10)
    with pytest.raises(ValueError, match="burst"):
        TokenBucketLimiter(rate=5, burst=0)


@pytest.mark.parametrize(("seconds", "header"), [(0.01, "1"), (1.0, "1"), (1.2, "2"), (30, "30")])
def test_retry_after_is_whole_seconds_rounded_up(seconds, header):
    assert retry_after_header(seconds) == header
