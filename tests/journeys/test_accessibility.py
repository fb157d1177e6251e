"""The journeys' accessibility check itself: axe runs on each page that loads and reports."""
import pytest

from tests.journeys.accessibility import assert_clean, watch

pytestmark = pytest.mark.browser

BAD = ("<!doctype html><html lang='zh-CN'><head><title>t</title></head><body><main>"
       "<img src='/x.png'><input type='text' name='q'></main></body></html>")


def test_every_loaded_page_is_checked_and_violations_fail(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    found = []
    watch(context, found)
    context.route("**/unlabelled", lambda route: route.fulfill(
        status=200, content_type="text/html", body=BAD))
    page = context.new_page()
    page.goto("/unlabelled")
    for _wait in range(50):  # the page reports once axe is done
        if found:
            break
        page.wait_for_timeout(100)
    page.goto("/")
    context.close()
    assert {violation["id"] for _url, violation in found} >= {"image-alt", "label"}
    with pytest.raises(AssertionError, match="/unlabelled: \\[critical\\] image-alt"):
        assert_clean(found)
