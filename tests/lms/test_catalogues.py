"""The Kyrgyz and Russian catalogues are complete, current, and compiled."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import ROOT, require

LANGUAGES = ["ky", "ru"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def _po(language: str, root: Path = ROOT) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_fuzzy_or_obsolete_entries(language):
    po = _po(language)
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert po.metadata["Language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in _po(language):
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    po = _po(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo if e.msgid}
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po.translated_entries()}
    assert compiled == source, "run `make messages` to recompile the .mo files"


def test_catalogues_contain_every_string_of_the_code(tmp_path):
    """Regenerates the catalogues from a copy of the code and compares the message ids."""
    require(shutil.which("xgettext") is not None, "GNU gettext (xgettext)")
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ["lms", "courses", "templates", "locale", "manage.py"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, copy / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location",
         *[arg for language in LANGUAGES for arg in ("--locale", language)]],
        cwd=copy, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "PYTHONPATH": str(copy),
             "DJANGO_SETTINGS_MODULE": "lms.settings", "VAR_DIR": str(tmp_path / "var")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        regenerated = {(e.msgctxt, e.msgid) for e in _po(language, copy) if not e.obsolete}
        committed = {(e.msgctxt, e.msgid) for e in _po(language) if not e.obsolete}
        assert regenerated - committed == set(), f"{language}: new strings not in the catalogue"
        assert committed - regenerated == set(), f"{language}: strings no longer in the code"
