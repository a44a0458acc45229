"""PostgreSQL as Django has it, with a health check that costs no round trip.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every
request that uses a persistent connection: on a page that needs one query, a second round
trip. Here the check looks at the connection's socket instead. An idle connection has
nothing to read; a server that restarted, a terminated backend or a proxy that gave up has
sent an error or closed its end, so the socket reads as ready and the connection is closed
and opened anew before the request uses it. After a request in which a query failed, Django
still checks with ``SELECT 1`` (``is_usable``), as before.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper


class DatabaseWrapper(PostgresDatabaseWrapper):
    # Django's, left out of django-stubs: the pool (or None) and the health check's state.
    pool: object
    health_check_enabled: bool
    health_check_done: bool

    def close_if_health_check_failed(self):
        if self.pool or self.connection is None:
            return super().close_if_health_check_failed()
        if not self.health_check_enabled or self.health_check_done:
            return
        if not self._idle_and_quiet():
            self.close()
        self.health_check_done = True

    def _idle_and_quiet(self) -> bool:
        """True when the connection is open, idle, and the server has sent nothing since the
        last reply: no error, no notice of shutdown, no end of stream."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        try:
            fd = connection.fileno()
        except Exception:
            return False
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
