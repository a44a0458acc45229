"""Each of the project's unusual mechanisms against the standard way it replaces, in one run.

The project's rule: a mechanism that saves less than 10% of its page or task goes back to the
standard way (docs/performance.md). Measured here, each as the project's time and the
standard way's time for the same work, in the same run:

1. kept pages (whole lesson/course pages rendered once per kind of reader, slots filled per
   request) against rendering the templates on every request;
2. the session and its cached user read in one round trip (`lms.sessions`, `USER_CACHE`)
   against Django's ``cached_db`` sessions with the user read from the database;
3. the PostgreSQL health check that polls the socket (`lms/db/postgresql`) against Django's
   ``CONN_HEALTH_CHECKS`` (a ``SELECT 1``);
4. the page query as a server-side prepared statement (`selectors.prepared.prepared_rows`)
   against a plain Django cursor, and against psycopg's own ``server_side_binding`` +
   ``prepare_threshold``;
5. the certificate PDF's fonts parsed once and subset by `courses.credentials.truetype`
   against fpdf2's way (fonts parsed per document, subset by fontTools);
6. memoised JSON-LD contexts and one-pass canonicalisation against plain pyld (two passes,
   ``jsonld.normalize``/``to_rdf`` with a loader serving the same pinned contexts).

1-4 are measured end to end: gunicorn (2 sync workers) per variant, started from this module
(`application`, a gunicorn app factory that switches the mechanism off in settings or by
replacing one function, so no application code has a switch), and wrk against each in turn,
the variants of a page interleaved round by round so that a busy machine's drift touches all
of them; the median round counts. Time per request is 1000 / (requests per second): the
machine's time per request at saturation. 5 and 6 are timed in this process (median of
repeats). The standard way's time is the denominator: "saves 30%" means the project's way
takes 30% less time than the standard way for the whole page or task.

Run alone: ``python -m bench mechanisms`` (``make bench BENCH=mechanisms``).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from bench import coursegen, load
from bench.report import Row, Target, heading
from bench.server import HOST, Server, fetch

WORKERS = 2
PORTS = range(8180, 8190)
ROUNDS = 3
ROUND_SECONDS = 2.0
WARMUP_SECONDS = 1.0
KEEP = Target("<", 0.90)  # the project's time as a share of the standard way's: saves ≥ 10%
READER_EMAIL = "mechanisms@bench.example.org"
COMPLETED_LESSONS = 5
BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0

# Variants of the server: what each switches to the standard way (see `application`).
PROJECT = "project"
VARIANTS = {
    PROJECT: "the project as it is",
    "pages-unkept": "whole pages not kept (their content parts still are)",
    "nothing-kept": "no page or part kept: templates rendered on every request",
    "cached-db": "Django's cached_db sessions, user read from the database (USER_CACHE off)",
    "select-1": "Django's PostgreSQL backend: CONN_HEALTH_CHECKS with SELECT 1",
    "plain-cursor": "the page query through a plain Django cursor (client-side binding)",
    "psycopg-prepare": "plain cursor; OPTIONS server_side_binding + prepare_threshold=5",
}


# -- the server side: a gunicorn app factory ------------------------------------------------


def _plain_rows(sql: str, params: list) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _render_every_time(key, template_name: str, context: Callable[[], dict]):
    from django.template.loader import render_to_string

    from courses.templatetags.slots import cut

    return cut(render_to_string(template_name, context()))


def application(variant: str = PROJECT):
    """The WSGI application with ``variant``'s mechanism returned to the standard way
    (gunicorn: ``bench.mechanisms:application('cached-db')``)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    from django.conf import settings

    database = settings.DATABASES["default"]  # read before django.setup(): no connection yet
    if variant == "cached-db":
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        settings.USER_CACHE = False
    elif variant == "select-1":
        if database["ENGINE"] != "lms.db.postgresql":
            raise RuntimeError(f"the database engine is {database['ENGINE']}, not lms.db")
        database["ENGINE"] = "django.db.backends.postgresql"
    elif variant == "psycopg-prepare":
        database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    from django.core.wsgi import get_wsgi_application

    wsgi = get_wsgi_application()
    if variant in ("pages-unkept", "nothing-kept"):
        import courses.views.learning as views

        views.item_page_kept = lambda request, view: None
        views.course_page_kept = lambda request, view: None
    if variant == "nothing-kept":
        import courses.templatetags.courses as tags

        tags.rendered_once = _render_every_time
    if variant in ("plain-cursor", "psycopg-prepare"):
        import courses.selectors.page_query as page_query

        page_query.prepared_rows = _plain_rows
    return wsgi


def _free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


_ports_taken: set[int] = set()


@contextmanager
def _server(variant: str, root: Path) -> Iterator[Server]:
    port = _free_port(_ports_taken)
    _ports_taken.add(port)
    log = root / f"gunicorn-{variant}.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        f"bench.mechanisms:application({variant!r})",
        "--bind", f"{HOST}:{port}",
        "--workers", str(WORKERS),
        "--worker-class", "sync",
        "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=dict(os.environ), stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {variant} exited:\n{log.read_text()[-3000:]}")
            try:
                if fetch(port, "/en/about/", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {variant} did not answer:\n{log.read_text()}")
            time.sleep(0.2)
        yield Server(port=port, log=log)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(timeout=5)
        _ports_taken.discard(port)


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    mechanism: str
    measure: str
    project: float  # ms per request or per task
    standard: float
    how: str  # "server" or "in-process"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.project / self.standard

    @property
    def saves(self) -> float:
        return 1 - self.ratio

    @property
    def verdict(self) -> str:
        return "keep" if KEEP.met(self.ratio) else "standard way"

    def line(self) -> str:
        return (
            f"{self.mechanism:<22} {self.measure:<44} {self.project:8.2f} ms "
            f"{self.standard:8.2f} ms  {self.ratio:5.2f}×  saves {self.saves:6.1%}  "
            f"{self.verdict:<12} {self.how}{'  ' + self.note if self.note else ''}"
        )

    def row(self) -> Row:
        value = f"{self.project:.2f} vs {self.standard:.2f} ms, saves {self.saves:.0%}"
        return Row("mechanisms", f"{self.mechanism}: {self.measure}", value, self.ratio, KEEP)


# -- end to end ------------------------------------------------------------------------------


def _reader_cookie() -> str:
    """A learner enrolled in the bench course with a few lessons done, logged in."""
    from django.db import transaction

    from bench.pages import _learner, _session_cookie
    from courses.models import Item
    from courses.services.learning import lesson_complete
    from lms.models import User

    with transaction.atomic():
        User.objects.filter(email=READER_EMAIL).delete()
        user, enrollment = _learner(READER_EMAIL)
        for number in range(1, COMPLETED_LESSONS + 1):
            item = Item.objects.get(course=enrollment.course, key=coursegen.lesson_id(number))
            lesson_complete(enrollment=enrollment, item=item)
    return _session_cookie(user)


def _course_ready(root: Path) -> None:
    """The 100-lesson bench course (imported here unless the import stage did) and the
    collected static files."""
    from django.conf import settings
    from django.core.management import call_command

    from bench.importing import LESSONS, import_once
    from courses.models import Course

    if not Course.objects.filter(slug=coursegen.SLUG).exists():
        repo = coursegen.course_repo_create(root / "mechanisms-course", lessons=LESSONS)
        import_once(str(repo.path))
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def _interleaved(servers: dict[str, Server], page: load.Load, root: Path) -> dict[str, float]:
    """ms per request of ``page`` on each server: a warm-up each, then ROUNDS rounds taking
    the servers in turn; the median round."""
    headers = dict(page.headers)
    for variant, server in servers.items():
        response = fetch(server.port, page.path, headers=headers)
        if response.status != 200:
            raise RuntimeError(f"{variant}: {page.path} answered {response.status}")
        load.run(page, server.port, seconds=WARMUP_SECONDS, work=root)
    times: dict[str, list[float]] = {variant: [] for variant in servers}
    for round_ in range(ROUNDS):
        order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
        for variant in order:
            result = load.run(page, servers[variant].port, seconds=ROUND_SECONDS, work=root)
            if result.errors:
                raise RuntimeError(f"{variant}: {page.path}: {result.errors} errors")
            times[variant].append(1000.0 / result.rps)
    return {variant: statistics.median(values) for variant, values in times.items()}


def _pages(cookie: str) -> dict[str, load.Load]:
    course = f"/en/courses/{coursegen.SLUG}/"
    lesson = f"{course}{coursegen.lesson_id(10)}/"
    signed_in = {"Cookie": cookie}
    return {
        "lesson, anonymous": load.Load(lesson),
        "lesson, logged in": load.Load(lesson, headers=signed_in),
        "course, logged in": load.Load(course, headers=signed_in),
        "about, logged in": load.Load("/en/about/", headers=signed_in),
    }


# (mechanism, its name here, the variants to start, the pages, {variant: note})
GROUPS = (
    ("1 kept pages", ("pages-unkept", "nothing-kept"),
     ("lesson, logged in", "course, logged in", "lesson, anonymous")),
    ("2 session+user", ("cached-db",), ("about, logged in", "lesson, logged in")),
    ("3 socket health check", ("select-1",), ("lesson, anonymous", "lesson, logged in")),
    ("4 prepared statement", ("plain-cursor", "psycopg-prepare"),
     ("lesson, logged in", "course, logged in")),
)  # fmt: skip

STANDARD = {  # the variant that is "the standard way" for the verdict, per mechanism
    "1 kept pages": "nothing-kept",
    "2 session+user": "cached-db",
    "3 socket health check": "select-1",
    "4 prepared statement": "plain-cursor",
}


def _end_to_end(root: Path) -> list[Compared]:
    _course_ready(root)
    pages = _pages(_reader_cookie())
    results: list[Compared] = []
    has_lms_db = (BASE_DIR / "lms" / "db" / "postgresql" / "base.py").exists()
    with _server(PROJECT, root) as project:
        for mechanism, variants, names in GROUPS:
            if mechanism.startswith("3") and not has_lms_db:
                print(f"{mechanism}: lms/db is gone: returned to the standard way, not measured")
                continue
            started = time.monotonic()
            try:
                with ExitStack() as stack:
                    servers = {PROJECT: project}
                    for variant in variants:
                        servers[variant] = stack.enter_context(_server(variant, root))
                    for name in names:
                        times = _interleaved(servers, pages[name], root)
                        for variant in variants:
                            note = "" if variant == STANDARD[mechanism] else f"vs {variant}"
                            compared = Compared(mechanism, f"{name}" + (
                                f" (vs {variant})" if note else ""),
                                times[PROJECT], times[variant], "server")  # fmt: skip
                            results.append(compared)
                            print(compared.line(), flush=True)
            except Exception as error:  # one mechanism failing leaves the others measured
                print(f"{mechanism}: could not run: {type(error).__name__}: {error}"[:400])
            print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
    return results


# -- in process ------------------------------------------------------------------------------


def _timed(call: Callable[[], object], *, number: int, repeats: int) -> float:
    """ms per call: the median over ``repeats`` of ``number`` calls, after one warm-up call."""
    call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - started) * 1000 / number)
    return statistics.median(samples)


def _credential() -> tuple[dict, object, str]:
    from datetime import UTC, datetime

    from courses.credentials.credential import CourseAchievement, Organisation, build_credential
    from courses.credentials.keys import generate_private_key

    did = "did:web:academy.example.org"
    credential = build_credential(
        credential_id="urn:uuid:8f0c6a1e-7b4d-4c1e-9a55-0f5d3e2b1c9a",
        issuer=Organisation(name="Bilim Академиясы", url="https://academy.example.org", id=did),
        learner_name="Айгүл Өмүрбекова",
        learner_email="aigul@example.org",
        salt="0" * 32,
        achievement=CourseAchievement(
            id="https://academy.example.org/en/courses/bench-course/",
            title="Блокчейндин негиздери", description="Blockchain basics",
            criteria="Complete every lesson and pass the quiz.", language="ky",
            commit="0123456789abcdef0123456789abcdef01234567",
        ),
        valid_from=datetime(2026, 11, 21, tzinfo=UTC),
        status_list_url="https://academy.example.org/credentials/status/1",
        status_list_index=7,
        university=Organisation(name="Кыргыз улуттук университети", url="https://knu.example.kg"),
    )  # fmt: skip
    return credential, generate_private_key(), f"{did}#key-1"


def _plain_loader(url: str, options=None) -> dict:
    from courses.credentials.canonical import PINNED_CONTEXTS, UnknownContextError, pinned_context

    if url not in PINNED_CONTEXTS:
        raise UnknownContextError(url)
    return {"contextUrl": None, "documentUrl": url, "document": pinned_context(url)}


def _plain_canonicalize(document, *, extra_contexts=None, strict: bool = True) -> str:
    """What `canonicalize` does, with plain pyld: normalize, then a second pass (to_rdf with a
    probing vocabulary) to refuse undefined terms."""
    from pyld import jsonld

    from courses.credentials.canonical import _UNDEFINED_VOCAB, UndefinedTermsError, _undefined

    options = {"algorithm": "URDNA2015", "format": "application/n-quads",
               "documentLoader": _plain_loader}  # fmt: skip
    canonical = jsonld.normalize(dict(document), options)
    if strict:
        context = document.get("@context", [])
        contexts = list(context) if isinstance(context, list) else [context]
        probe = {**document, "@context": [{"@vocab": _UNDEFINED_VOCAB}, *contexts]}
        nquads = jsonld.to_rdf(probe, {"format": "application/n-quads",
                                       "documentLoader": _plain_loader})  # fmt: skip
        missing = _undefined(nquads)
        if missing:
            raise UndefinedTermsError(missing)
    return canonical


def _canonical(repeats: int) -> list[Compared]:
    from datetime import UTC, datetime

    from courses.credentials import integrity

    credential, key, method = _credential()
    created = datetime(2026, 11, 21, 12, tzinfo=UTC)
    public = {method: key.public_key()}

    def sign() -> dict:
        return integrity.add_proof(credential, private_key=key, verification_method=method,
                                   created=created)  # fmt: skip

    signed = sign()
    with mock.patch.object(integrity, "canonicalize", _plain_canonicalize):
        plain_signed = sign()
        crossed = integrity.verify_proof(signed, public_keys=public).ok
    if plain_signed != signed or not crossed:
        raise RuntimeError("plain pyld and the project canonicalise the credential differently")

    def verify() -> None:
        if not integrity.verify_proof(signed, public_keys=public).ok:
            raise RuntimeError("the credential does not verify")

    times = {}
    for name, call in (("sign", sign), ("verify", verify)):
        project = _timed(call, number=10, repeats=repeats)
        with mock.patch.object(integrity, "canonicalize", _plain_canonicalize):
            standard = _timed(call, number=10, repeats=repeats)
        times[name] = (project, standard)
    return [
        Compared("6 JSON-LD canonical", f"{name} one credential", project, standard, "in-process")
        for name, (project, standard) in times.items()
    ]


def _fpdf_add_fonts(pdf, family: str, files) -> None:
    for style, path in files.items():
        pdf.add_font(family, style, str(path))


def _fpdf_output(pdf) -> bytes:
    return bytes(pdf.output())


def _certificate_pdf(repeats: int) -> list[Compared]:
    from courses.credentials import pdf as pdf_module
    from courses.credentials import pdf_fonts
    from courses.credentials.integrity import add_proof

    credential, key, method = _credential()
    from datetime import UTC, datetime

    signed = add_proof(credential, private_key=key, verification_method=method,
                       created=datetime(2026, 11, 21, 12, tzinfo=UTC))  # fmt: skip

    def render() -> bytes:
        return pdf_module.render_certificate_pdf(
            learner_name="Константин Александрович Веселовский-Ңөүшкин",
            course_title="Основы блокчейна и смарт-контрактов: консенсус, криптография",
            date_text="21 ноября 2026 г.", organisation="Bilim Академиясы",
            university="Кыргыз улуттук университети",
            commit="0123456789abcdef0123456789abcdef01234567",
            verify_url="https://academy.kg/ru/verify/8f0c6a1e-7b4d-4c1e-9a55-0f5d3e2b1c9a/",
            short_url="academy.kg/v/8f0c6a1e", credential=signed,
            labels=pdf_module.ENGLISH_LABELS, language="ru",
            created=datetime(2026, 11, 21, 12, tzinfo=UTC),
        )  # fmt: skip

    sizes = {"project": len(render())}
    project = _timed(render, number=5, repeats=repeats)
    results = []
    # fontTools' subsetter alone: the fonts still parsed once per process (pdf_fonts.add_fonts),
    # written by fpdf2's own producer, which subsets them with fontTools.
    try:
        with mock.patch.object(pdf_fonts, "output", _fpdf_output):
            sizes["fontTools"] = len(render())
            subsetter = _timed(render, number=5, repeats=repeats)
        results.append(Compared("5 TrueType subsetter", "certificate PDF (vs fontTools subset)",
                                project, subsetter, "in-process",
                                f"PDF {sizes['project'] / 1024:.0f} KB vs "
                                f"{sizes['fontTools'] / 1024:.0f} KB"))  # fmt: skip
    except Exception as error:
        print(f"fontTools subset of the cached fonts could not run: {type(error).__name__}: "
              f"{error}"[:300])  # fmt: skip
    with (
        mock.patch.object(pdf_fonts, "add_fonts", _fpdf_add_fonts),
        mock.patch.object(pdf_fonts, "output", _fpdf_output),
    ):
        sizes["fpdf2"] = len(render())
        standard = _timed(render, number=5, repeats=repeats)
    results.append(Compared("5 TrueType subsetter", "certificate PDF (vs plain fpdf2)", project,
                            standard, "in-process",
                            f"PDF {sizes['project'] / 1024:.0f} KB vs "
                            f"{sizes['fpdf2'] / 1024:.0f} KB"))  # fmt: skip
    return results


def _in_process() -> list[Compared]:
    results: list[Compared] = []
    for part in (_certificate_pdf, _canonical):
        started = time.monotonic()
        try:
            found = part(7)
        except Exception as error:
            print(f"{part.__name__}: could not run: {type(error).__name__}: {error}"[:400])
            continue
        for compared in found:
            print(compared.line(), flush=True)
        results += found
        print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
    return results


def _table(results: list[Compared]) -> None:
    heading("Mechanisms: the project's way vs the standard way (time per request or task)")
    print(f"{'mechanism':<22} {'measure':<44} {'project':>11} {'standard':>11}  {'ratio':>6}  "
          f"{'saving':>12}  {'verdict':<12} how")  # fmt: skip
    for compared in results:
        print(compared.line())
    print(
        "verdict: keep when the project's way saves ≥ 10% of the page or task, else return to "
        "the standard way (rows marked 'vs ...' compare with a second standard alternative)"
    )


def run(root: Path) -> list[Row]:
    heading(
        f"Mechanisms: 1-4 through gunicorn ({WORKERS} sync workers a variant), {load.tool()} "
        f"with {load.CONNECTIONS} connections, {ROUNDS} interleaved rounds of "
        f"{ROUND_SECONDS:g} s (median); 5-6 in this process (median of 7 repeats)"
    )
    for variant, text in VARIANTS.items():
        print(f"  {variant:<16} {text}")
    results = _in_process()
    results += _end_to_end(root)
    _table(results)
    return [compared.row() for compared in results]
