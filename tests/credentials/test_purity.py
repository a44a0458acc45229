"""The credentials core stays pure: no Django, pinned contexts unchanged, no network contexts."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest

from courses.credentials.canonical import (
    CONTEXTS_DIR,
    PINNED_CONTEXTS,
    UnknownContextError,
    document_loader,
)

PACKAGE = Path(__file__).resolve().parents[2] / "courses" / "credentials"

PINNED_SHA256 = {
    "credentials-v2.json": "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    "ob-v3p0-context-3.0.3.json": (
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84"
    ),
    "security-data-integrity-v2.json": (
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4"
    ),
}


def test_no_module_imports_django():
    """Nothing in courses/credentials imports Django (plain data in, plain data out)."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), path


def test_modules_stay_small():
    """Each module stays under about 400 lines."""
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path


def test_pinned_contexts_are_unchanged():
    """The pinned JSON-LD contexts are byte for byte the documents recorded."""
    assert set(PINNED_CONTEXTS.values()) == set(PINNED_SHA256)
    for filename, digest in PINNED_SHA256.items():
        assert hashlib.sha256((CONTEXTS_DIR / filename).read_bytes()).hexdigest() == digest


def test_loader_never_fetches_unknown_contexts():
    """Any URL outside the pinned set is an error, whatever it looks like."""
    loader = document_loader()
    for url in (
        "https://www.w3.org/ns/credentials/v2/",
        "http://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "file:///etc/passwd",
    ):
        with pytest.raises(UnknownContextError):
            loader(url, {})
