"""The simulated learners of `make soak`: one thread each, the standard library's HTTP client,
as little parsing as a browser's user would need (the CSRF cookie, a redirect's address).

A learner signs up with the site's form, enrols, reads every item, marks lessons done and
submits quizzes (some answers malformed, which the server must refuse, some wrong), then
waits for its certificate and downloads it; then the thread starts over as a new learner
until the soak ends. Half the learners use the pages, half the JSON API with their session.
Every write the server acknowledged is written down in the `Ledger`, to be compared with
the database at the end.
"""

from __future__ import annotations

import http.client
import json
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
TIMEOUT = 30.0
RETRIES = 4  # tries of one write that got no answer, or a 5xx
RATE_LIMITED_WAIT = (10.0, 20.0)  # seconds a refused sign-up waits before trying again
CERTIFICATE_POLLS = 12  # looks at /api/v1/me/certificates after finishing, think time apart
LANGUAGES = ("ky", "ru", "en")


@dataclass(frozen=True)
class Quiz:
    correct: dict  # question id -> the right answer, as the API takes it
    wrong: dict  # every answer wrong (valid: graded, stored, failed)
    invalid: dict  # refused before grading: a control character in a typed answer


@dataclass(frozen=True)
class Plan:
    port: int
    slug: str
    items: tuple[tuple[str, str], ...]  # (key, "lesson" | "quiz" | "lab"), in course order
    quizzes: dict[str, Quiz]
    think: tuple[float, float]  # seconds between a learner's requests, uniform
    invalid_share: float = 0.3  # quizzes first submitted with malformed answers
    wrong_share: float = 0.3  # quizzes first failed with wrong answers


@dataclass(frozen=True)
class Sample:
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0: no answer (refused, reset or timed out)
    kind: str


@dataclass
class Ledger:
    """Every request, and every write the server acknowledged (a 2xx, or the redirect a
    page answers a done form with)."""

    samples: list[Sample] = field(default_factory=list)
    signups: set[str] = field(default_factory=set)
    enrolments: set[str] = field(default_factory=set)
    lessons: set[tuple[str, str]] = field(default_factory=set)
    attempts: set[tuple[str, str, int]] = field(default_factory=set)
    finished: set[str] = field(default_factory=set)  # every item acknowledged
    certificates_seen: set[str] = field(default_factory=set)  # issued, PDF downloaded
    notes: Counter = field(default_factory=Counter)  # what else happened, by name
    examples: dict[str, str] = field(default_factory=dict)  # a body of each unexpected answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str) -> None:
        with self.lock:
            self.notes[what] += 1


class Gone(Exception):
    """The soak is over, or this learner cannot go on; the thread takes the next one."""


@dataclass
class Response:
    status: int
    location: str = ""
    body: bytes = b""


class Browser:
    """Cookies and CSRF for one learner; one connection per request, as gunicorn's sync
    workers close each one."""

    def __init__(self, plan: Plan, ledger: Ledger, address: str) -> None:
        self.plan, self.ledger, self.address = plan, ledger, address
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        kind: str,
        *,
        form: list | None = None,
        payload: dict | None = None,
    ) -> Response:
        headers = {"X-Forwarded-For": self.address, "Accept": "text/html,application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode([("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")), *form])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.monotonic()
        result = Response(0)
        connection = http.client.HTTPConnection(HOST, self.plan.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            result = Response(answer.status, answer.getheader("Location", ""), answer.read())
            for cookie in answer.msg.get_all("Set-Cookie") or ():
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value and "max-age=0" not in cookie.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
        except OSError:
            pass
        finally:
            connection.close()
        with self.ledger.lock:
            self.ledger.samples.append(
                Sample(started, time.monotonic() - started, result.status, kind)
            )
        return result


def _gist(body: bytes) -> str:
    """Where an answer says what went wrong: a form's errors, a message, or its start."""
    text = body.decode(errors="replace")
    for mark in ("errorlist", 'class="message', '"message"'):
        at = text.find(mark)
        if at >= 0:
            return text[max(0, at - 100) : at + 400]
    return text[:400]


def _redirected(response: Response) -> bool:
    """A page's form done: redirected onwards, not to the login page."""
    return response.status == 302 and "/accounts/login/" not in response.location


def _form(answers: dict) -> list[tuple[str, str]]:
    """The quiz page's fields for ``answers`` (as the API takes them)."""
    fields = []
    for question, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            text = str(one).lower() if isinstance(one, bool) else str(one)
            fields.append((f"q-{question}", text))
    return fields


class Learner:
    def __init__(self, plan: Plan, ledger: Ledger, number: int, deadline: float, run: str) -> None:
        self.plan, self.ledger, self.deadline = plan, ledger, deadline
        self.rng = random.Random(f"{run}-{number}")  # noqa: S311 - think times, not secrets
        self.email = f"soak-{run}-{number}@example.org"
        self.password = secrets.token_urlsafe(12)
        self.language = LANGUAGES[number % len(LANGUAGES)]
        self.api = number % 2 == 1
        self.browser = Browser(
            plan, ledger, f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        )

    def pause(self, low: float | None = None, high: float | None = None) -> None:
        think_low, think_high = self.plan.think
        seconds = self.rng.uniform(low or think_low, high or think_high)
        if time.monotonic() + seconds > self.deadline:
            raise Gone
        time.sleep(seconds)

    def write(
        self, send: Callable[[], Response], done: Callable[[Response], bool], what: str
    ) -> Response:
        """``send`` until the server answers it (a 4xx is an answer); a write the server
        never answered after RETRIES tries ends this learner."""
        for _try in range(RETRIES):
            response = send()
            if response.status and response.status < 500:
                if not done(response):
                    note = f"{what}: unexpected {response.status}"
                    self.ledger.note(note)
                    self.ledger.examples.setdefault(note, _gist(response.body))
                    raise Gone
                return response
            self.ledger.note(f"{what}: retried after {response.status or 'no answer'}")
            self.pause(2.0 * 2**_try, 5.0 * 2**_try)  # an overloaded server gets some air
        self.ledger.note(f"{what}: given up")
        raise Gone

    def form_page(self, path: str, kind: str) -> None:
        """Open a page with a form until it answers, so its CSRF cookie is set."""
        for _try in range(RETRIES):
            answered = self.browser.request("GET", path, kind).status == 200
            if answered and "csrftoken" in self.browser.cookies:
                return
            self.ledger.note(f"{kind}: opened again")
            self.pause(2.0 * 2**_try, 5.0 * 2**_try)
        self.ledger.note(f"{kind}: given up")
        raise Gone

    # The journey

    def run(self) -> None:
        self.sign_up()
        self.pause()
        self.log_in()
        self.pause()
        self.enrol()
        for key, kind in self.plan.items:
            self.pause()
            self.read(key)
            self.pause()
            if kind == "lesson":
                self.complete(key)
            elif kind == "quiz":
                self.take_quiz(key)  # a lab is read, not done: the course does not require it
        with self.ledger.lock:
            self.ledger.finished.add(self.email)
        self.certificate()

    def sign_up(self) -> None:
        path = f"/{self.language}/accounts/signup/"
        while True:
            self.form_page(path, "sign-up page")
            self.pause(0.5, 1.5)
            form = [
                ("name", f"Learner {self.email.split('@')[0]}"),
                ("email", self.email),
                ("password1", self.password),
                ("password2", self.password),
            ]
            response = self.write(
                lambda form=form: self.browser.request("POST", path, "sign-up", form=form),
                lambda r: r.status in (302, 429),
                "sign-up",
            )
            if response.status == 302:
                break
            self.ledger.note("sign-up: rate limited (429), waited")
            self.pause(*RATE_LIMITED_WAIT)
        with self.ledger.lock:
            self.ledger.signups.add(self.email)

    def log_in(self) -> None:
        """Sign-up never logs in (lms/signup.py: it must not tell whether the address had an
        account); without e-mail verification the learner logs in at once."""
        path = f"/{self.language}/accounts/login/"
        self.form_page(path, "log-in page")
        self.pause(0.5, 1.5)
        form = [("login", self.email), ("password", self.password)]
        self.write(
            lambda: self.browser.request("POST", path, "log-in", form=form),
            lambda r: r.status == 302 and "/accounts/" not in r.location,
            "log-in",
        )

    def enrol(self) -> None:
        slug = self.plan.slug
        if self.api:
            path = f"/api/v1/courses/{slug}/enrollment?lang={self.language}"
            self.write(
                lambda: self.browser.request("POST", path, "enrol (API)", payload={}),
                lambda r: r.status in (200, 201),
                "enrol",
            )
        else:
            self.browser.request("GET", f"/{self.language}/courses/{slug}/", "course page")
            self.pause()
            path = f"/{self.language}/courses/{slug}/enroll/"
            self.write(
                lambda: self.browser.request("POST", path, "enrol (page)", form=[]),
                _redirected,
                "enrol",
            )
        with self.ledger.lock:
            self.ledger.enrolments.add(self.email)

    def read(self, key: str) -> None:
        if self.api:
            path = f"/api/v1/courses/{self.plan.slug}/items/{key}?lang={self.language}"
            self.browser.request("GET", path, "item (API)")
        else:
            self.browser.request(
                "GET", f"/{self.language}/courses/{self.plan.slug}/{key}/", "item page"
            )

    def complete(self, key: str) -> None:
        if self.api:
            path = f"/api/v1/courses/{self.plan.slug}/items/{key}/complete?lang={self.language}"
            self.write(
                lambda: self.browser.request("POST", path, "lesson done (API)", payload={}),
                lambda r: r.status == 200,
                "lesson done",
            )
        else:
            path = f"/{self.language}/courses/{self.plan.slug}/{key}/complete/"
            self.write(
                lambda: self.browser.request(
                    "POST", path, "lesson done (page)", form=[("go", "next")]
                ),
                _redirected,
                "lesson done",
            )
        with self.ledger.lock:
            self.ledger.lessons.add((self.email, key))

    def take_quiz(self, key: str) -> None:
        quiz = self.plan.quizzes[key]
        if self.rng.random() < self.plan.invalid_share:
            self.submit(key, quiz.invalid, expect_refusal=True)
            self.pause()
        if self.rng.random() < self.plan.wrong_share:
            self.submit(key, quiz.wrong)
            self.pause()
        self.submit(key, quiz.correct)

    def submit(self, key: str, answers: dict, *, expect_refusal: bool = False) -> None:
        kind = "quiz refused" if expect_refusal else "quiz attempt"
        if self.api:
            path = f"/api/v1/courses/{self.plan.slug}/items/{key}/attempts?lang={self.language}"
            response = self.write(
                lambda: self.browser.request(
                    "POST", path, f"{kind} (API)", payload={"answers": answers}
                ),
                lambda r: r.status == (400 if expect_refusal else 201),
                kind,
            )
            number = None if expect_refusal else json.loads(response.body)["attempt"]
        else:
            path = f"/{self.language}/courses/{self.plan.slug}/{key}/attempts/"
            response = self.write(
                lambda: self.browser.request("POST", path, f"{kind} (page)", form=_form(answers)),
                lambda r: r.status == 400 if expect_refusal else "?attempt=" in r.location,
                kind,
            )
            number = (
                None
                if expect_refusal
                else int(urlsplit(response.location).query.split("attempt=")[1].split("&")[0])
            )
        if number is not None:
            with self.ledger.lock:
                self.ledger.attempts.add((self.email, key, number))

    def certificate(self) -> None:
        for _poll in range(CERTIFICATE_POLLS):
            self.pause()
            response = self.browser.request(
                "GET", f"/api/v1/me/certificates?lang={self.language}", "my certificates (API)"
            )
            if response.status != 200:
                continue
            issued = [c for c in json.loads(response.body) if c["pdf_url"]]
            if issued:
                pdf = urlsplit(issued[0]["pdf_url"]).path
                if self.browser.request("GET", pdf, "certificate PDF").status == 200:
                    with self.ledger.lock:
                        self.ledger.certificates_seen.add(self.email)
                return
        self.ledger.note("certificate: not issued while the learner waited")


def learner_thread(
    plan: Plan,
    ledger: Ledger,
    seat: int,
    seats: int,
    deadline: float,
    run: str,
    start_within: float,
) -> None:
    """One seat: learners one after another until ``deadline``; the first arrives within
    ``start_within`` seconds, so sign-ups do not all come at once."""
    time.sleep(random.Random(seat).uniform(0, start_within))  # noqa: S311
    number = seat
    while time.monotonic() < deadline:
        try:
            Learner(plan, ledger, number, deadline, run).run()
        except Gone:
            pass
        except Exception as error:  # a bug in the client must not end the seat
            ledger.note(f"client error: {type(error).__name__}: {error}"[:120])
        number += seats
        time.sleep(plan.think[1])  # the next learner arrives a little later
