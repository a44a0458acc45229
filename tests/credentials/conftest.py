"""The credentials core is pure Python: its tests need no Django, database or static files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from courses.credentials.credential import (
    CourseAchievement,
    Organisation,
    build_credential,
    sign_credential,
)
from courses.credentials.keys import did_web, verification_method_id

DOMAIN = "academy.kg"
ISSUED = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
SIGNED_AT = datetime(2026, 11, 21, 9, 31, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def _collected_static_files() -> None:
    """Override the project-wide collectstatic: nothing here serves pages."""


@pytest.fixture(scope="session")
def issuer_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


@pytest.fixture(scope="session")
def method() -> str:
    return verification_method_id(domain=DOMAIN, key_id="key-1")


def make_credential(**overrides: Any) -> dict[str, Any]:
    """An unsigned Kyrgyz-language certificate; keyword arguments replace build parameters."""
    arguments: dict[str, Any] = {
        "credential_id": "https://academy.kg/certificates/8f0c6a1e-7b4d-4c1e-9a55-0f5d3e2b1c9a",
        "issuer": Organisation(
            name="Bilim Академиясы", url="https://academy.kg", id=did_web(DOMAIN)
        ),
        "learner_name": "Айгүл Өмүрбекова",
        "learner_email": "Aigul@Example.kg",
        "salt": "5f1c0e2a9b7d4c3e8a6f0b1d2c3e4f50",
        "achievement": CourseAchievement(
            id="https://academy.kg/courses/blockchain-basics",
            title="Блокчейндин негиздери",
            description="Блокчейн технологиясынын негиздери: ң, ө, ү.",
            criteria="Бардык сабактарды жана тесттерди бүтүрүү.",
            language="ky",
            commit="0123456789abcdef0123456789abcdef01234567",
        ),
        "valid_from": ISSUED,
        "status_list_url": "https://academy.kg/status/1",
        "status_list_index": 94567,
        "university": Organisation(name="Кыргыз улуттук университети", url="https://knu.kg"),
    }
    arguments.update(overrides)
    return build_credential(**arguments)


@pytest.fixture
def signed(issuer_key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    return sign_credential(
        make_credential(), private_key=issuer_key, verification_method=method, created=SIGNED_AT
    )
