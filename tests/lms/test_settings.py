"""Production settings pass Django's deployment checks; the Celery app is configured for safety."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from lms.celery import app
from tests.conftest import ROOT


def _production_env(**extra: str) -> dict[str, str]:
    unset = {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="false",  # explicit: a developer's .env (DEBUG=true) must not leak in
        DJANGO_SETTINGS_MODULE="lms.settings",
        SECRET_KEY="k3Yq-" + "a9Zx7Lw2" * 8,
        ALLOWED_HOSTS="bilim.example.org",
        SITE_URL="https://bilim.example.org",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def _site_url(**environment: str) -> subprocess.CompletedProcess:
    """Import the settings in a new process with ``environment`` (and none of this process's
    SITE_URL, HOST or PORT; empty values override a developer's .env)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SITE_URL"}}
    env.update({"SITE_URL": "", "HOST": "", "PORT": "", **environment})
    return subprocess.run(
        [sys.executable, "-c", "from lms.settings import SITE_URL; print(SITE_URL)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("", "", "http://127.0.0.1:8000"),
        ("", "8201", "http://127.0.0.1:8201"),
        ("localhost", "8201", "http://localhost:8201"),
        ("0.0.0.0", "8201", "http://127.0.0.1:8201"),  # noqa: S104
        ("::1", "8201", "http://[::1]:8201"),
    ],
)
def test_development_site_url_follows_host_and_port(host, port, expected):
    """`make run` with PORT=8201 links and signs certificates with port 8201, not 8000 (a
    server listening on every address is reached at the loopback one)."""
    result = _site_url(DEBUG="true", HOST=host, PORT=port)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_explicit_site_url_wins_over_host_and_port():
    """A development server reached through a tunnel keeps the address it was given."""
    result = _site_url(DEBUG="true", PORT="8201", SITE_URL="https://dev.example.org/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://dev.example.org"


def test_production_refuses_to_start_without_a_site_url():
    """Without DEBUG the address would be a guess signed into every certificate: refused."""
    result = _site_url(DEBUG="false", SECRET_KEY="k3Yq-" + "a9Zx7Lw2" * 8, PORT="8000")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SITE_URL to the site's public address" in result.stderr
    result = _site_url(
        DEBUG="false", SECRET_KEY="k3Yq-" + "a9Zx7Lw2" * 8, SITE_URL="https://bilim.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://bilim.example.org"


@pytest.mark.parametrize(
    "site_url", ["bilim.example.org", "ftp://bilim.example.org", "https://example.org/bilim"]
)
def test_a_site_url_that_is_not_an_origin_is_refused(site_url):
    """Links are SITE_URL followed by a path from the root, so it holds a scheme and a host
    only."""
    result = _site_url(DEBUG="true", SITE_URL=site_url)
    assert result.returncode != 0
    assert "SITE_URL must be http:// or https:// and a host, with no path" in result.stderr


def test_database_connections_persist():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_celery_is_configured_for_at_least_once_delivery():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert "lms.heartbeat" in {entry["task"] for entry in conf.beat_schedule.values()}


def test_visibility_timeout_outlasts_the_longest_task():
    assert settings.CELERY_VISIBILITY_TIMEOUT > settings.CELERY_TASK_TIME_LIMIT
    if settings.CELERY_BROKER_URL.startswith("redis"):
        options = app.conf.broker_transport_options
        assert options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT


def test_static_files_are_hashed_and_compressed():
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    css = list((settings.STATIC_ROOT / "css").glob("site.*.css"))
    assert any(path.name.count(".") == 2 for path in css), "collectstatic has not run"
    assert list((settings.STATIC_ROOT / "css").glob("site.*.css.gz"))
