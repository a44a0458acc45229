"""A rate limit in the cache (Redis in production, shared by every process).

Each (scope, key) gets a window of ``period`` seconds that opens at its first hit: a counter
whose expiry is set when it is created and left alone by every later hit. Unlike windows aligned
to the clock, no boundary falls between two hits a second apart, so ``limit + 1`` quick hits are
always refused the last one (aligned windows let ``2 × limit`` through around a boundary).

While Redis is unreachable the cache counts these keys in each process's memory
(``lms.cache.LOCAL_WHEN_DOWN``): the limit still holds, per process.
"""

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one hit for (scope, key); True when more than ``limit`` fell in its window."""
    cache_key = f"ratelimit:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=period):
        return limit < 1
    try:
        hits = cache.incr(cache_key)  # INCR keeps the expiry the window opened with
    except ValueError:  # the window closed between add and incr: this hit opens the next
        cache.add(cache_key, 1, timeout=period)
        hits = 1
    return hits > limit
