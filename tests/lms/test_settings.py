"""Production settings pass Django's deployment checks; the Celery app is configured for safety."""

import os
import subprocess
import sys

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
