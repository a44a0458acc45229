"""axe-core in the page under test: the WCAG 2 A/AA rules, serious and critical findings only.

axe-core is an npm package pinned in tests/e2e/package.json; `npm ci` in tests/e2e installs it
(.ci/run does). Without it the accessibility tests skip locally and fail in CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import require

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

# Every WCAG 2.x success criterion at levels A and AA that axe can test automatically.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def _require_axe() -> None:
    require(AXE_JS.exists(), f"axe-core at {AXE_JS} (run `npm ci` in tests/e2e)")


def preload_axe(context) -> None:
    """Load axe into every page the browser context opens, before the page's own scripts.
    Optional: three times faster than injecting it into each page after it loaded."""
    _require_axe()
    context.add_init_script(path=str(AXE_JS))


def assert_styled(page) -> None:
    """Colours, sizes and focus rings are only tested if the site's stylesheets loaded."""
    unstyled = page.evaluate(
        """[...document.querySelectorAll("link[rel=stylesheet]")]
            .filter((link) => !link.sheet || !link.sheet.cssRules.length)
            .map((link) => link.href)"""
    )
    assert not unstyled, f"stylesheets did not load, so colours and sizes mean nothing: {unstyled}"


def run_axe(page) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2 A/AA violations on the page as it is now."""
    _require_axe()
    assert_styled(page)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]], *, where: str = "") -> str:
    """One line per violation and affected element, readable in a failed assertion."""
    lines = []
    for violation in violations:
        lines.append(f"{where}{violation['impact']} {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)
