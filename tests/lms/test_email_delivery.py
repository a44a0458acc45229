"""E-mail is sent by workers, never inside a request, and once: through Django's SMTP backend
to a real SMTP server (aiosmtpd) that each test starts on a free port, or not at all to
play an SMTP outage."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from lms.mail import email_send, emails_requeue
from lms.models import OutboxTask, OutgoingEmail, User
from lms.outbox import outbox_sweep
from lms.tasks import email_send_task
from tests.certificates.test_worker_issuing import wait_for
from tests.conftest import free_port, shared_database_url
from tests.factories import PASSWORD, UserFactory

SIGN_UP = {"email": "aida@example.org", "name": "Аида Токтогулова", "password1": PASSWORD,
           "password2": PASSWORD}  # fmt: skip


class Mailbox:
    """An SMTP server on 127.0.0.1 that keeps what it receives (or refuses every address)."""

    def __init__(self, port: int, refuse: bool = False) -> None:
        self.port, self.refuse = port, refuse
        self.messages: list[tuple[list[str], str]] = []
        self.controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8")))
        return "250 Message accepted for delivery"

    def start(self) -> Mailbox:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mailbox(settings):
    """Django's SMTP backend pointed at a free port; the server is not running until the
    test starts it, so SMTP is down first."""
    box = Mailbox(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", box.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield box
    box.stop()


@pytest.mark.django_db
def test_sign_up_while_smtp_is_down_answers_and_the_message_goes_once_smtp_is_back(client, mailbox):
    """The sign-up answers as always and stores the message; the worker's tries fail while
    SMTP is down (retried by Celery, not given up); once SMTP is up it goes, exactly once."""
    response = client.post("/ky/accounts/signup/", SIGN_UP)
    assert response.status_code == 302
    assert response["Location"] == "/ky/accounts/confirm-email/"
    assert User.objects.filter(email="aida@example.org").exists()
    email = OutgoingEmail.objects.get()
    assert email.to == ["aida@example.org"] and email.sent_at is None
    assert "/ky/accounts/confirm-email/" in email.body

    email_send_task.apply(args=[email.pk])  # what the worker does, SMTP down
    email.refresh_from_db()
    assert email.sent_at is None and email.failed_at is None
    assert email.attempts == 1 + email_send_task.max_retries
    assert "Connection refused" in email.last_error or "ConnectionRefused" in email.last_error

    mailbox.start()
    email_send_task.apply(args=[email.pk])
    email_send_task.apply(args=[email.pk])  # delivered twice: still one message
    assert len(mailbox.messages) == 1
    recipients, content = mailbox.messages[0]
    assert recipients == ["aida@example.org"]
    assert email.message_id in content
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.body == ""  # the confirmation link is not kept once sent


@pytest.mark.django_db
def test_password_reset_and_email_change_answer_while_smtp_is_down(client, mailbox):
    user = UserFactory(email="bek@example.org", language="ru")
    assert client.post("/en/accounts/password/reset/",
                       {"email": "bek@example.org"}).status_code == 302  # fmt: skip
    client.force_login(user)
    response = client.post("/en/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    queued = {tuple(e.to): e for e in OutgoingEmail.objects.all()}
    assert set(queued) == {("bek@example.org",), ("new@example.org",)}
    assert OutboxTask.objects.filter(task="lms.email_send").count() == 2

    mailbox.start()
    for email in queued.values():
        email_send(email_id=email.pk)
    assert sorted(to for to, _content in mailbox.messages) == [["bek@example.org"],
                                                               ["new@example.org"]]  # fmt: skip


@pytest.mark.django_db
def test_account_emails_are_written_in_the_readers_language_with_links_in_it(client):
    """A password reset asked for from an English page reaches a Russian reader in Russian,
    with a link that opens the site in Russian."""
    UserFactory(email="bek@example.org", language="ru")
    client.post("/en/accounts/password/reset/", {"email": "bek@example.org"})
    email = OutgoingEmail.objects.get()
    assert email.subject == "[Bilim] Письмо для сброса пароля"
    assert "/ru/accounts/password/reset/key/" in email.body
    assert "/en/" not in email.body


@pytest.mark.django_db
def test_a_message_smtp_refuses_for_good_is_not_retried_nor_queued_again(mailbox):
    from django.core.mail import EmailMessage

    from lms.mail import email_queue

    mailbox.refuse = True
    mailbox.start()
    email = email_queue(message=EmailMessage("Hello", "Body", to=["nobody@example.org"]))
    result = email_send_task.apply(args=[email.pk])
    assert result.state == "FAILURE"
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.failed_at is not None and "550" in email.last_error
    email.attempted_at = email.queued_at = timezone.now() - timedelta(hours=1)
    email.save()
    assert emails_requeue() == 0


@pytest.mark.django_db
def test_messages_still_unsent_are_queued_again_once_and_nothing_else_is(settings):
    settings.EMAIL_RESEND_AFTER = 900
    hour_ago = timezone.now() - timedelta(hours=1)

    def email(**fields) -> OutgoingEmail:
        values = {"subject": "s", "to": ["a@example.org"], "from_email": "f@example.org",
                  "message_id": "<m@example.org>", "queued_at": hour_ago, **fields}  # fmt: skip
        return OutgoingEmail.objects.create(**values)

    stale = email(attempted_at=hour_ago)
    email(attempted_at=timezone.now())  # a retry of its task is under way
    email(sent_at=hour_ago)
    email(failed_at=hour_ago)
    email(claimed_until=timezone.now() + timedelta(minutes=1))  # a worker is sending it
    email(created_at=timezone.now() - timedelta(days=4))  # its links have expired
    assert emails_requeue() == 1
    assert list(OutboxTask.objects.values_list("task", "args")) == [("lms.email_send",
                                                                      [stale.pk])]  # fmt: skip
    assert emails_requeue() == 0  # queued again once, not at every sweep


@pytest.mark.django_db
def test_a_message_another_worker_is_sending_is_not_sent_again(mailbox):
    from django.core.mail import EmailMessage

    from lms.mail import email_queue

    mailbox.start()
    email = email_queue(message=EmailMessage("Hello", "Body", to=["a@example.org"]))
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert email_send(email_id=email.pk) is False
    assert mailbox.messages == []


@pytest.mark.django_db(transaction=True)
def test_sign_up_while_redis_and_smtp_were_down_is_mailed_once_by_a_real_worker(
    client, mailbox, postgres, redis_server, worker_env, start_worker, app_on
):
    """The whole outage: sign-up answers with the broker and SMTP down; once both are back,
    beat's sweep queues the message and a real worker sends it through SMTP, once, even
    when its task is delivered again."""
    app_on(redis_server.url)
    redis_server.stop()
    started = time.monotonic()
    response = client.post("/ru/accounts/signup/", {**SIGN_UP, "email": "aiperi@example.org"})
    assert time.monotonic() - started < 10
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(to=["aiperi@example.org"])
    assert OutboxTask.objects.get(task="lms.email_send", published_at__isnull=True)

    redis_server.start()
    mailbox.start()
    worker_env.update(REDIS_URL=redis_server.url, DATABASE_URL=shared_database_url(),
                      DJANGO_SETTINGS_MODULE="lms.settings",
                      EMAIL_URL=f"smtp://127.0.0.1:{mailbox.port}")  # fmt: skip
    worker = start_worker(worker_env)
    assert outbox_sweep(grace=timedelta(0)) == 1
    wait_for(lambda: len(mailbox.messages) == 1, timeout=60, what="the message")
    email_send_task.delay(email.pk)  # a second delivery of the same task
    wait_for(lambda: worker.log().count("Task lms.email_send[") >= 4, timeout=60,
             what="the second delivery")  # fmt: skip
    assert len(mailbox.messages) == 1
    assert mailbox.messages[0][0] == ["aiperi@example.org"]
    assert OutgoingEmail.objects.get(pk=email.pk).sent_at is not None


@pytest.mark.django_db
def test_staff_see_the_outboxes_in_the_admin_but_not_the_bodies_of_messages(client):
    from django.core.mail import EmailMessage

    from lms.mail import email_queue

    email = email_queue(message=EmailMessage("Сброс", "secret-reset-link", to=["a@example.org"]))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/lms/outgoingemail/?sent_at__isnull=True")
    assert listing.status_code == 200 and "Сброс" in listing.content.decode()
    detail = client.get(f"/admin/lms/outgoingemail/{email.pk}/change/").content.decode()
    assert "a@example.org" in detail and "secret-reset-link" not in detail
    assert client.get("/admin/lms/outboxtask/").status_code == 200
