"""Every journey's pages are checked by axe-core (tests/journeys/accessibility.py)."""
import pytest

from tests.journeys.accessibility import assert_clean, check_now, watch


@pytest.fixture
def axe_violations():
    """The serious and critical violations axe found on the pages of a journey."""
    return []


@pytest.fixture
def page(page, axe_violations):
    """The journeys' page, with every page it visits checked by axe."""
    watch(page.context, axe_violations)
    yield page
    check_now(page, axe_violations)
    assert_clean(axe_violations)
