"""A person in a real browser: opens the Kyrgyz site, switches to Russian, signs up, logs in."""

import re

import pytest

from lms.models import User
from tests.mailbox import sent_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "тоо-суу-2026-bilim"


def test_kyrgyz_visitor_switches_to_russian_signs_up_and_logs_in(live_server, page, tmp_path):
    page.goto(f"{live_server.url}/ky/")
    assert page.locator("html").get_attribute("lang") == "ky"
    assert page.get_by_role("heading", level=1).inner_text() == "Блокчейнди өз тилиңизде үйрөнүңүз"

    page.locator(".site-menu summary").click()  # on a phone the language is in the menu
    page.get_by_role("button", name="Русский").click()
    page.wait_for_url(f"{live_server.url}/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.screenshot(path=str(tmp_path / "home-ru.png"), full_page=True)

    page.locator(".site-menu summary").click()
    page.locator(".site-menu").get_by_role("link", name="Зарегистрироваться").click()
    page.wait_for_url(re.compile(r"/ru/accounts/signup/"))
    page.get_by_label("Полное имя").fill("Айпери Асанова")
    page.get_by_label("Адрес электронной почты", exact=False).first.fill("aiperi@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Зарегистрируйтесь").click()
    page.wait_for_url(re.compile(r"/ru/accounts/confirm-email/$"))

    user = User.objects.get(email="aiperi@example.org")
    assert user.language == "ru"
    link = re.search(r"https?://\S+/confirm-email/\S+", sent_mail()[-1].body).group(0)
    page.goto(link)
    page.locator("main form").get_by_role("button").click()
    page.wait_for_url(re.compile(r"/ru/accounts/login/"))

    page.locator("input[name=login]").fill("aiperi@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/ru/")
    welcome = page.locator("main .hero-welcome").inner_text()
    assert "Айпери" in welcome and "С возвращением" not in welcome  # new: welcomed, not back

    page.locator(".site-menu summary").click()
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(re.compile(r"/ru/$"))
    page.locator(".site-menu summary").click()
    assert page.locator(".site-menu").get_by_role("link", name="Войти").is_visible()
