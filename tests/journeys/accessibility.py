"""axe-core on every page a journey visits (used by tests/journeys/conftest.py): a serious or
critical accessibility violation fails the journey.

The vendored axe (static/vendor/axe-core) is added to every document of the journey's browser
context. The journey's page is wrapped (`CheckedPage`): before each step the test takes on it,
the document shown, once loaded and if not checked yet, is checked by axe, so each page is
checked once, as the test found it, between the test's steps. (Checking on the page's own
"load" event instead ran axe while the test was typing and clicking: the same work, but
competing with the steps for the page's thread, and lost when the test moved on first.)
"""
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA (contrast, names and labels, landmarks, keyboard) and axe's best practices,
# less "region" (content outside landmarks): it is only ever moderate, so it could not fail a
# journey, and it visits every node of the page (a third of axe's time on a product list).
CHECK_ONCE = """async () => {
  if (typeof axe === "undefined" || window.__axeChecked || document.readyState !== "complete"
      || document.contentType !== "text/html") return [];
  window.__axeChecked = true;
  const result = await axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag",
      values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
      rules: {region: {enabled: false}}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " — " + n.failureSummary)}));
}"""


def watch(context):
    """Give every document of `context` the axe script (checked by `check_once`)."""
    context.add_init_script(path=str(AXE))


def check_once(page, found):
    """Check the document `page` shows, unless it is still loading or was checked already;
    violations go to `found` as (path, violation)."""
    if page.is_closed() or not page.url.startswith("http"):
        return
    try:
        violations = page.evaluate(CHECK_ONCE)
    except Error:  # navigating away at this moment: the next document is checked next time
        return
    address = urlsplit(page.url)
    url = address.path + (f"?{address.query}" if address.query else "")
    found.extend((url, violation) for violation in violations)


class CheckedPage:
    """A Playwright page whose document is checked by axe before each call made on it."""

    def __init__(self, page, found):
        self._page, self._found = page, found

    def __getattr__(self, name):
        value = getattr(self._page, name)
        if not callable(value):
            return value

        def step(*args, **kwargs):
            check_once(self._page, self._found)
            return value(*args, **kwargs)
        return step


def report(found):
    lines = []
    for url, violation in found:
        lines.append(f"{url}: [{violation['impact']}] {violation['id']} — {violation['help']}")
        lines += [f"    {node}" for node in violation["nodes"]]
    return "\n".join(lines)


def assert_clean(found):
    # Deduplicated: a page visited twice reports once.
    unique = list({(url, violation["id"]): (url, violation) for url, violation in found}.values())
    assert not unique, "axe found serious or critical violations:\n" + report(unique)
