"""The journeys' accessibility check itself: axe checks each page a journey acts on."""
import pytest

from tests.journeys.accessibility import CheckedPage, assert_clean, watch

pytestmark = pytest.mark.browser

BAD = ("<!doctype html><html lang='zh-CN'><head><title>t</title></head><body><main>"
       "<img src='/x.png'><input type='text' name='q'></main></body></html>")


def test_every_page_acted_on_is_checked_once_and_violations_fail(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    watch(context)
    context.route("**/unlabelled", lambda route: route.fulfill(
        status=200, content_type="text/html", body=BAD))
    found = []
    page = CheckedPage(context.new_page(), found)
    page.goto("/unlabelled")
    page.fill("input[name=q]", "松茸")       # checked before this step
    page.press("input[name=q]", "Tab")      # not again
    page.goto("/")
    context.close()
    assert sorted(violation["id"] for _url, violation in found) == ["image-alt", "label"]
    with pytest.raises(AssertionError, match="/unlabelled: \\[critical\\] image-alt"):
        assert_clean(found)
