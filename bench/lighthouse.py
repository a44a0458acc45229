"""Lighthouse performance (npm lighthouse@12.2.3, its default mobile settings: a mid-range
phone on a throttled 4G connection) on the learner's pages in Kyrgyz, served by gunicorn with
the production settings. Target: a score of at least 95 on each.

The pages are those of the starter curriculum (examples/, imported from its working tree by
the weight stage, or here if that stage did not run): home, catalogue and verify anonymously;
course, lesson, quiz and dashboard signed in and enrolled. Accessibility, best practices and
SEO are asserted at 100 by tests/e2e/test_lighthouse.py; this stage reports them too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from bench.report import Row, Target, heading
from bench.server import Server

LIGHTHOUSE = Path(__file__).resolve().parent.parent / "tests/e2e/node_modules/.bin/lighthouse"
CHROMIUM = "/usr/bin/chromium"
COURSE = "blockchain-basics"
SCORE_TARGET = Target("≥", 95, "")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def _examples_imported(root: Path) -> None:
    from courses.models import Course

    if not Course.objects.filter(slug=COURSE, live_revision__isnull=False).exists():
        from bench.weight import _sample_lessons

        _sample_lessons(root)


def _pages(server: Server) -> dict[str, tuple[str, str]]:
    from django.test import override_settings
    from django.utils import timezone

    from bench.pages import _session_cookie
    from courses.credentials import keys
    from courses.models import Course, Enrollment
    from courses.services.certificates import certificate_issue, certificate_request
    from lms.models import User

    course = Course.objects.get(slug=COURSE)
    learner = User.objects.create_user(
        email="lighthouse@bench.example.org", password=None, name="Айгүл Өмүрбекова"
    )
    Enrollment.objects.create(user=learner, course=course)
    graduate = User.objects.create_user(
        email="graduate@bench.example.org", password=None, name="Нурлан Асанов"
    )
    done = Enrollment.objects.create(user=graduate, course=course, completed_at=timezone.now())
    # Issued here, as a worker would, with a key of this run's own.
    key = keys.private_key_multibase(keys.generate_private_key())
    with override_settings(CERTIFICATE_SIGNING_KEY=key):
        certificate = certificate_issue(certificate_id=certificate_request(enrollment=done).pk)
    cookie = _session_cookie(learner)
    base = f"/ky/courses/{COURSE}"
    return {
        "home": (server.url("/ky/"), ""),
        "catalogue": (server.url("/ky/courses/"), ""),
        "verify": (server.url(f"/ky/verify/{certificate.public_id}/"), ""),
        "course": (server.url(f"{base}/"), cookie),
        "lesson": (server.url(f"{base}/hashes-and-blocks/"), cookie),
        "quiz": (server.url(f"{base}/foundations-check/"), cookie),
        "dashboard": (server.url("/ky/dashboard/"), cookie),
    }


def _scores(url: str, cookie: str, out: Path) -> dict[str, float]:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    failure = ""
    # Chromium now and then fails to record the load (NO_NAVSTART), and on a loaded machine
    # Lighthouse itself now and then exits with an error: try again, three times in all.
    for _attempt in range(3):
        done = subprocess.run(command, env=env, check=False, timeout=240, capture_output=True)
        if done.returncode:
            failure = done.stderr.decode(errors="replace").strip()[-500:]
            continue
        report = json.loads(out.read_text())
        failure = str(report.get("runtimeError") or "")
        if not report.get("runtimeError"):
            scores = {name: report["categories"][name]["score"] * 100 for name in CATEGORIES}
            if scores["performance"] < SCORE_TARGET.limit:
                print(f"  {url}: {_why(report)}")
            return scores
    raise RuntimeError(f"Lighthouse failed three times on {url}: {failure}")


def _why(report: dict) -> str:
    """The metrics that cost points, for a page below the target."""
    metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
               "cumulative-layout-shift", "speed-index")  # fmt: skip
    audits = [report["audits"][name] for name in metrics]
    return ", ".join(
        f"{audit['id']} {audit.get('displayValue', '')} ({audit['score']})"
        for audit in audits
        if (audit.get("score") or 0) < 0.9
    )


def run(server: Server, root: Path) -> list[Row]:
    heading("Lighthouse, mobile, Kyrgyz pages of the starter curriculum")
    if not LIGHTHOUSE.exists() or not shutil.which(CHROMIUM):
        raise RuntimeError(f"needs {LIGHTHOUSE} (npm ci in tests/e2e) and {CHROMIUM}")
    _examples_imported(root)
    rows = []
    for name, (url, cookie) in _pages(server).items():
        scores = _scores(url, cookie, root / f"lighthouse-{name}.json")
        others = " ".join(f"{k[:4]} {v:.0f}" for k, v in scores.items() if k != "performance")
        row = Row(
            "lighthouse", f"{name} performance", f"{scores['performance']:.0f} ({others})",
            target=SCORE_TARGET, checked=scores["performance"],
        )  # fmt: skip
        print(f"{name:<10} performance {scores['performance']:3.0f}  {others}  {row.target_line()}")
        rows.append(row)
    return rows
