"""A fixed-window rate limit in the cache (Redis in production, shared by every process).

While Redis is unreachable the cache counts these keys in each process's memory
(``lms.cache.LOCAL_WHEN_DOWN``): the limit still holds, per process.
"""

import time

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one hit for (scope, key); True when more than ``limit`` fell in this window."""
    window = int(time.time() // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        return limit < 1
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        hits = 1
    return hits > limit
