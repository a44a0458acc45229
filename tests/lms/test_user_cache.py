"""The session store and the auth backends share the cached user through lms.user_cache,
without importing each other."""

import ast
from pathlib import Path

import lms

LMS = Path(lms.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_session_store_and_the_auth_backends_do_not_import_each_other():
    """Each imports the small module they share; neither imports the other, not even lazily
    inside a function."""
    sessions = imported_modules(LMS / "sessions.py")
    auth = imported_modules(LMS / "auth.py")
    assert "lms.auth" not in sessions
    assert "lms.sessions" not in auth
    assert "lms.user_cache" in sessions and "lms.user_cache" in auth
    assert not {"lms.auth", "lms.sessions"} & imported_modules(LMS / "user_cache.py")
