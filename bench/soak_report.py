"""What `make soak` prints at the end: requests, acknowledged writes against the database,
certificates, and the processes' logs."""

from __future__ import annotations

from pathlib import Path

from bench.report import heading
from bench.soak_learners import Ledger


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))] if values else 0.0


def requests(
    ledger: Ledger,
    *,
    started: float,
    run_seconds: float,
    window: tuple[float, float] | None,
    window_after: float,
) -> int:
    """Counts, latencies and failures by kind of request; the failures outside ``window``
    (Redis's restart)."""
    samples = ledger.samples
    heading("Requests")
    times = sorted(s.seconds * 1000 for s in samples)
    errors = [s for s in samples if s.status >= 500 or s.status == 0]

    def in_window(s) -> bool:
        return bool(window) and s.started < window[1] and s.started + s.seconds > window[0]

    inside = [s for s in errors if in_window(s)]
    print(
        f"{len(samples)} requests in {run_seconds:.0f} s ({len(samples) / run_seconds:.1f}/s); "
        f"p50 {percentile(times, 0.5):.0f} ms, p99 {percentile(times, 0.99):.0f} ms"
    )
    print(
        f"5xx or no answer: {len(errors)}, of which {len(inside)} inside the Redis restart "
        f"window (stop until {window_after:g} s after it answered again), "
        f"{len(errors) - len(inside)} outside it (target 0)"
    )
    kinds = sorted({s.kind for s in samples})
    print(f"\n{'kind':<26} {'requests':>8} {'p50 ms':>7} {'p99 ms':>7}  statuses")
    for kind in kinds:
        group = [s for s in samples if s.kind == kind]
        spread = sorted(s.seconds * 1000 for s in group)
        statuses = {}
        for s in group:
            statuses[s.status] = statuses.get(s.status, 0) + 1
        shown = ", ".join(f"{k or 'none'}: {v}" for k, v in sorted(statuses.items()))
        print(
            f"{kind:<26} {len(group):8d} {percentile(spread, 0.5):7.0f} "
            f"{percentile(spread, 0.99):7.0f}  {shown}"
        )
    for s in errors:
        print(
            f"  {s.status or 'no answer'} at {s.started - started:6.1f} s: {s.kind}"
            f"{'  (Redis window)' if in_window(s) else ''}"
        )
    if ledger.notes:
        print("\nwhat else the learners saw:")
        for what, count in sorted(ledger.notes.items()):
            print(f"  {count:5d}  {what}")
        for what, body in ledger.examples.items():
            print(f"\nfirst answer of {what}:\n{body[:600]}")
    return len(errors) - len(inside)


def writes(ledger: Ledger, slug: str) -> int:
    """What the server acknowledged against what the database holds; the writes lost."""
    from courses.models import Enrollment, ItemProgress, QuizAttempt
    from lms.models import User

    heading("Acknowledged writes against the database")
    emails = ledger.signups
    users = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    enrolled = set(
        Enrollment.objects.filter(course__slug=slug).values_list("user__email", flat=True)
    )
    lessons = set(
        ItemProgress.objects.filter(
            enrollment__course__slug=slug, completed_at__isnull=False
        ).values_list("enrollment__user__email", "item__key")
    )
    attempts = set(
        QuizAttempt.objects.filter(enrollment__course__slug=slug).values_list(
            "enrollment__user__email", "item__key", "number"
        )
    )
    rows = [
        ("sign-ups", ledger.signups, users),
        ("enrolments", ledger.enrolments, enrolled),
        ("lessons done", ledger.lessons, lessons),
        ("quiz attempts", ledger.attempts, attempts),
    ]
    lost_total = 0
    for name, acknowledged, stored in rows:
        lost = acknowledged - stored
        lost_total += len(lost)
        print(
            f"{name:<14} acknowledged {len(acknowledged):6d}  in the database "
            f"{len(stored & acknowledged):6d}  lost {len(lost)}"
        )
        for example in sorted(lost)[:5]:
            print(f"    lost: {example}")
    print(f"lost acknowledged writes: {lost_total} (target 0)")
    return lost_total


def certificates(
    ledger: Ledger,
    slug: str,
    drained: tuple[float, int],
    limit: float,
    *,
    redis_back=None,
    started_at=None,
) -> int:
    """Every completed enrolment's certificates, and what the learners saw of them; how many
    completed enrolments do not have exactly one issued certificate."""
    from django.db.models import Count

    from courses.models import Certificate, Enrollment

    heading("Certificates")
    completed = Enrollment.objects.filter(course__slug=slug, completed_at__isnull=False)
    per_enrolment = completed.annotate(n=Count("certificate")).values_list("n", flat=True)
    states = Certificate.objects.filter(course__slug=slug).values_list("status", flat=True)
    state_counts = {state: list(states).count(state) for state in set(states)}
    exactly_one = sum(1 for n in per_enrolment if n == 1)
    issued = completed.filter(certificate__status=Certificate.Status.ISSUED).count()
    finished_not_complete = ledger.finished - set(completed.values_list("user__email", flat=True))
    print(
        f"learners who had every item acknowledged: {len(ledger.finished)}; of them not "
        f"completed in the database: {len(finished_not_complete)}"
    )
    print(
        f"completed enrolments: {completed.count()}; with exactly one certificate: "
        f"{exactly_one}; issued: {issued} (target: all)"
    )
    print(f"certificates by state: {state_counts}")
    if redis_back is not None:
        after = Certificate.objects.filter(course__slug=slug, issued_at__gte=redis_back).count()
        print(f"issued after Redis answered again: {after}")
    print(
        f"learners who saw theirs issued and downloaded the PDF before the soak ended: "
        f"{len(ledger.certificates_seen)}"
    )
    waited, owed = drained
    print(
        f"after the load: waited {waited:.0f} s for the workers (at most {limit:.0f} s); "
        f"still owed: {owed}"
    )
    owed = Certificate.objects.filter(course__slug=slug).exclude(status=Certificate.Status.ISSUED)
    for certificate in owed.order_by("created_at")[:10]:
        since = (certificate.created_at - started_at).total_seconds() if started_at else 0
        print(f"  not issued: {certificate.status}, asked for at {since:.1f} s, "
              f"{certificate.attempts} attempts, {certificate.last_error[:100]!r}")  # fmt: skip
    try:
        from lms.models import OutboxTask
    except ImportError:  # a checkout without the outbox
        pass
    else:
        waiting = OutboxTask.objects.filter(published_at__isnull=True).count()
        print(f"tasks still waiting in the outbox (not yet given to the broker): {waiting}")
    return completed.count() - min(exactly_one, issued)


def targets(*, failed: int, lost: int, uncertified: int) -> None:
    heading("Targets")
    for name, value in (
        ("5xx or no answer outside the Redis restart window", failed),
        ("acknowledged writes lost", lost),
        ("completed enrolments without exactly one issued certificate", uncertified),
    ):
        print(f"{name}: {value} (target 0){'' if value == 0 else '  MISSED'}")


def logs(root: Path, kept: str) -> None:
    """How many errors each process logged, and the first few."""
    heading("Logs")
    for log in sorted(root.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        errors = [line for line in lines if "ERROR" in line or "CRITICAL" in line]
        print(f"{log.name}: {len(lines)} lines, {len(errors)} with ERROR or CRITICAL")
        for line in errors[:3]:
            print(f"    {line[:220]}")
    print("SOAK_KEEP_LOGS=<folder> keeps the logs" if not kept else f"logs kept in {kept}")
