"""A bounded, thread-safe memo of recent values in this process, least recently used out.

For values that are expensive to build and whose key names everything they depend on (a
revision's uid, a stamp of the rows read), so an entry is never stale: it is only forgotten.
Each process keeps its own; nothing is shared or written anywhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def get_or_build(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``build()`` kept (built outside the lock: two
        threads may both build it once, and the last one is kept)."""
        found = self.get(key)
        return found if found is not None else self.put(key, build())

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
