"""The rate limit's window opens at a key's first hit, in the project's cache (Redis when
REDIS_URL is set, as in CI)."""

import time

from lms.ratelimit import rate_limit_exceeded


def hit(key: str, *, limit: int = 3, period: int = 60) -> bool:
    return rate_limit_exceeded(scope="test", key=key, limit=limit, period=period)


def test_the_hit_after_the_limit_is_refused_and_other_keys_are_not_held_back():
    assert [hit("mallory") for _ in range(5)] == [False, False, False, True, True]
    assert hit("alice") is False


def test_a_limit_of_zero_refuses_the_first_hit():
    assert hit("nobody", limit=0) is True


def test_the_window_closes_period_seconds_after_its_first_hit_and_later_hits_do_not_extend_it():
    opened = time.monotonic()
    assert [hit("burst", limit=1, period=1) for _ in range(2)] == [False, True]
    while time.monotonic() - opened < 0.8:  # hits late in the window must not keep it open
        assert hit("burst", limit=1, period=1) is True
        time.sleep(0.1)
    time.sleep(max(0.0, opened + 1.3 - time.monotonic()))
    assert hit("burst", limit=1, period=1) is False
