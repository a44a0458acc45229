"""Commands speak the operator's language: LANGUAGE or LANG (ky_KG.UTF-8 → ky), else English."""

import os

from django.conf import settings


def cli_language() -> str:
    known = {code for code, _name in settings.LANGUAGES}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(variable, "").split(":"):
            code = part.split("_")[0].split(".")[0].lower()
            if code in known:
                return code
    return "en"
