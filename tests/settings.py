"""Test settings: the real settings module, read with a test environment.

Only what cannot hold in a test process is changed: plain HTTP (the test client and the
browser talk to http://127.0.0.1), a fixed secret, and email kept in memory.
DATABASE_URL and REDIS_URL pass through, so CI runs the suite on PostgreSQL and Redis.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SITE_URL", "http://testserver")
# A fixed Ed25519 key (multibase secret), generated for the tests and used nowhere else.
os.environ.setdefault("CERTIFICATE_SIGNING_KEY", "z3u2dwYwNxxAZk98gHSBATxjzoGpCqu8HJdDif8ENgJQKego")

from lms.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
# The schema test builds the WSGI application while tests are collected, before the session
# collects the static files: WhiteNoise warns when the folder does not exist yet.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
