"""Which failures a task retries, and how: Celery's own options, shared by every task.

Only errors that can pass by themselves are transient: a database or broker connection that
dropped, a timeout, an SMTP server that is down or answers "try again later" (services raise
`TransientError` for those). A missing key or font file (`FileNotFoundError`, an `OSError`
too), a bad address or a bug is not: retrying would only delay the failure being recorded.
"""

from __future__ import annotations

import smtplib
import socket

from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


class TransientError(Exception):
    """A failure that may pass by itself; the task is retried with backoff."""


class PermanentError(Exception):
    """A failure that will not pass by itself (an address the server refuses): not retried."""


TRANSIENT: tuple[type[BaseException], ...] = (
    TransientError,
    OperationalError,  # the database went away, a deadlock, SQLite's "database is locked"
    InterfaceError,
    ConnectionError,  # refused, reset, aborted (OSError subclasses, unlike a missing file)
    TimeoutError,
    socket.gaierror,  # a name that did not resolve, for now
    smtplib.SMTPException,  # a batch of cohort e-mails is retried whole (lms.mail tells apart)
    RedisConnectionError,
    RedisTimeoutError,
)

# The options every retrying task takes: a transient failure is retried after 5 s, 10 s,
# 20 s, … (at most 10 minutes, less than the broker's 30-minute visibility timeout), each
# drawn at random below that bound so retries of many tasks do not arrive together.
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
}


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` may pass by itself. An SMTP reply in the 4xx range ("try again
    later", a full mailbox, greylisting) is; a 5xx reply (no such user, refused) is not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, TRANSIENT)
