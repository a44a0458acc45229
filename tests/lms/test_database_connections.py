"""A persistent PostgreSQL connection that died between requests never fails the next one.

The requests go through Django's WSGI handler, as under gunicorn: its ``request_started``
signal runs ``close_old_connections``, which the test client switches off. The tests are
transactional: inside the test case's transaction Django would drop the connection at the
start of each request (its autocommit is not the configured one) and never check it.
"""

import socket
import time
from io import BytesIO
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/en/courses/"  # the catalogue: one query or more, no login


def wsgi_get(path: str) -> int:
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(
        PATH_INFO=path, HTTP_HOST="testserver", SERVER_NAME="testserver", SERVER_PORT="80",
        REQUEST_METHOD="GET", **{"wsgi.input": BytesIO(b"")},
    )  # fmt: skip
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()  # request_finished, as a WSGI server sends it
    return int(statuses[0].split()[0])


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    """End the server process of a connection from another connection, as an administrator,
    a failover or a restarted server does, and wait until it is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return
                time.sleep(0.05)
        raise AssertionError(f"backend {pid} did not end")
    finally:
        other.close()


def test_a_connection_terminated_between_requests_is_replaced(postgres):
    """The server ended the connection while it sat idle in the process: the next request
    opens a new one and answers 200."""
    assert wsgi_get(PAGE) == 200
    pid = backend_pid()
    assert wsgi_get(PAGE) == 200
    assert backend_pid() == pid  # the connection persists between requests
    terminate(pid)
    assert wsgi_get(PAGE) == 200
    assert backend_pid() != pid


def test_connections_probe_an_idle_server_with_tcp_keepalives(postgres):
    """A firewall or NAT that drops an idle connection silently sends nothing: the kernel's
    keepalive probes find it dead (and keep such middleboxes from forgetting it), so the
    check at the start of a request sees a closed connection instead of waiting on it."""
    connection.ensure_connection()
    sock = socket.socket(fileno=socket.dup(connection.connection.fileno()))
    try:
        if sock.family == socket.AF_UNIX:
            pytest.skip("PostgreSQL is reached through a Unix socket: no TCP")
        options = connection.settings_dict["OPTIONS"]
        tcp = {
            "keepalives_idle": socket.TCP_KEEPIDLE,
            "keepalives_interval": socket.TCP_KEEPINTVL,
            "keepalives_count": socket.TCP_KEEPCNT,
            "tcp_user_timeout": socket.TCP_USER_TIMEOUT,
        }
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        for option, name in tcp.items():
            assert sock.getsockopt(socket.IPPROTO_TCP, name) == options[option], option
    finally:
        sock.close()
