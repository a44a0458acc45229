"""The client's address, as the trusted proxies in front of the site report it.

``TRUSTED_PROXY_COUNT`` says how many proxies of ours stand in front of gunicorn (1 by
default with ``BEHIND_PROXY``, else 0). Each proxy appends the address it was reached from
to ``X-Forwarded-For``, so the last ``TRUSTED_PROXY_COUNT`` entries were written by our own
proxies, and the one they wrote first (the ``TRUSTED_PROXY_COUNT``-th from the right) is the
client's; anything left of it came from the client and may be made up. With no trusted
proxy the header is ignored: whoever talks to gunicorn directly cannot choose an address.

allauth's rate limits pick the same entry (``ALLAUTH_TRUSTED_PROXY_COUNT`` is set from the
same setting in ``lms/settings.py``); every limit of ours keys on :func:`client_address`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address: the right-most ``X-Forwarded-For`` entry that no trusted
    proxy wrote, or ``REMOTE_ADDR`` when no proxy is trusted (or the header is unusable)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted < 1 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    # Fewer entries than trusted proxies: every entry was written by one of ours, and the
    # left-most is the nearest to the client that we know of.
    entry = entries[-trusted] if len(entries) >= trusted else entries[0]
    return _ip(entry) or remote


def _ip(entry: str) -> str | None:
    """The IP address of one ``X-Forwarded-For`` entry (``1.2.3.4``, ``1.2.3.4:5678``,
    ``2001:db8::1`` or ``[2001:db8::1]:5678``), normalised; None when it is not one."""
    host = entry
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None
