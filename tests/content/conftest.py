"""The content core is pure Python: its tests need no Django, database or static files."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _collected_static_files() -> None:
    """Override the project-wide collectstatic: nothing here serves pages."""
