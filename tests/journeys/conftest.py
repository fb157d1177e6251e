"""Every journey's pages are checked by axe-core (tests/journeys/accessibility.py)."""
import pytest

from tests.journeys.accessibility import CheckedPage, assert_clean, check_once, watch


@pytest.fixture
def axe_violations():
    """The serious and critical violations axe found on the pages of a journey."""
    return []


@pytest.fixture
def page(page, axe_violations):
    """The journeys' page, each document it shows checked by axe (the last one at the end)."""
    watch(page.context)
    yield CheckedPage(page, axe_violations)
    check_once(page, axe_violations)
    assert_clean(axe_violations)
