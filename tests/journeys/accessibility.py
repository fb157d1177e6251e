"""axe-core on every page a journey visits (used by tests/journeys/conftest.py): a serious or
critical accessibility violation fails the journey.

The vendored axe (static/vendor/axe-core) is added to every document of the journey's browser
context; once a page has loaded it checks itself and reports to the test through a binding, so
the journeys' steps stay as they are. The last page is checked once more at the end, waiting
for the result (a report still running when the journey ends would be lost otherwise).
"""
from pathlib import Path
from urllib.parse import urlsplit

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA (contrast, names and labels, landmarks, keyboard) and axe's best practices.
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag",
      values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " — " + n.failureSummary)}));
}"""
ON_LOAD = f"""
if (window.top === window && document.contentType === "text/html") {{
  window.addEventListener("load", () => setTimeout(async () => {{
    try {{
      const found = await ({RUN})();
      window.__axeReport(location.pathname + location.search, found);
    }} catch (error) {{ /* the page went away while it was checked */ }}
  }}, 0));
}}
"""


def watch(context, found):
    """Check every page of `context` with axe; violations go to `found` as (url, violation)."""
    context.add_init_script(path=str(AXE))
    context.add_init_script(ON_LOAD)
    context.expose_binding("__axeReport", lambda _source, url, violations: found.extend(
        (url, violation) for violation in violations))


def report(found):
    lines = []
    for url, violation in found:
        lines.append(f"{url}: [{violation['impact']}] {violation['id']} — {violation['help']}")
        lines += [f"    {node}" for node in violation["nodes"]]
    return "\n".join(lines)




def check_now(page, found):
    """Check the page shown now and wait for the result (the end of a journey)."""
    if page.is_closed() or not page.url.startswith("http"):
        return
    try:
        violations = page.evaluate(RUN)
    except Exception:  # noqa: BLE001 — no document to check (a download), or still navigating
        return
    address = urlsplit(page.url)
    url = address.path + (f"?{address.query}" if address.query else "")
    found.extend((url, violation) for violation in violations)


def assert_clean(found):
    # Deduplicated: a page visited twice reports once.
    unique = list({(url, violation["id"]): (url, violation) for url, violation in found}.values())
    assert not unique, "axe found serious or critical violations:\n" + report(unique)
