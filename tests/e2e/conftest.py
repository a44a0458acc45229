import pytest


@pytest.fixture
def browser(chromium_path, monkeypatch):
    """Debian's Chromium, headless. Playwright's sync API keeps an asyncio loop running in
    the test's thread while it is open, which makes Django refuse the test's own (synchronous,
    safe) ORM calls; allow them for exactly that span."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(live_server, browser):
    context = browser.new_context(locale="ky-KG", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _live_server_serves_collected_static_files():
    """pytest-django's live server answers /static/ through the staticfiles finders, which know
    only source names: the hashed names pages link to (manifest storage) were 404s and every
    page was unstyled. Serve the collected files of STATIC_ROOT, as WhiteNoise does in
    production. Session-scoped and autouse, so it is in place before live_server starts."""
    from django.contrib.staticfiles import handlers
    from django.test.testcases import _StaticFilesHandler

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "StaticFilesHandler", _StaticFilesHandler)
        yield
