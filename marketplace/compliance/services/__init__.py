"""The quota rules: policies, filings and the yearly quota figures.

Every figure is computed by SQL aggregation over all units at once (a handful of queries for a
whole year) and is traceable to the order lines of `quota_lines`, which use the very same
eligibility rule (`line_counts`). Money is integer fen inside; rows carry Decimal yuan and
`compliance.schemas` turns them into the API's strings.

The package re-exports its public names, so callers keep writing
``from marketplace.compliance import services`` and ``services.quota_rows(...)``:

- `common`: constants, id and year checks, the API's text for ratios and amounts;
- `policies`: the governing policy of a unit and whether a line counts under it;
- `filings`: filing windows and the yearly filings (every version kept);
- `exceptions`: ratios under the minimum, approved or rejected by the finance side;
- `computation`: the figures of every unit for a year, by SQL aggregation;
- `status`: a row's status, completion rate and pace;
- `lines`: the order lines behind the figures, streamed;
- `progress`: how far a cart, or a checkout waiting for approval, takes the buyer's unit.
"""
# The domain errors the services raise, for callers catching ``services.ValidationError``.
from marketplace.errors import Conflict, NotFound, PermissionDenied, ValidationError

from .common import (DEFAULT_MIN_RATIO, EXEMPT_STATUSES, MAX_ID, MAX_YEAR, MIN_YEAR,
                     NEVER_COUNTED, QUOTA_STATUSES, RATE_PLACES, ROW_FIELDS, check_year,
                     money_str, ratio_str, valid_id)
from .computation import (UnitQuota, completed_filter, compute, counted_expr, credit_map,
                          in_progress_filter, quota_rows, quota_totals, rollup, unit_quota)
from .exceptions import (DECISIONS, can_decide, decide_exception,
                         decided_exceptions, exception_document_for, pending_exceptions)
from .filings import (can_file_for, current_filing, delete_filing_window, file_quota,
                      filing_history, reserved_fen,
                      set_filing_window, window_state)
from .lines import LINE_COLUMNS, iter_quota_lines, quota_lines
from .policies import (Policy, delete_policy, governing, governing_policy, line_counts,
                       national_default, parse_ratio, policies_of_year,
                       set_policy)
from .progress import cart_progress, credited_unit_of, eligible_amount_fen, order_effect
from .status import completion_rate, pace, quota_status, year_fraction_elapsed

__all__ = [
    # common
    "DEFAULT_MIN_RATIO", "EXEMPT_STATUSES", "MAX_ID", "MAX_YEAR", "MIN_YEAR", "NEVER_COUNTED",
    "QUOTA_STATUSES", "RATE_PLACES", "ROW_FIELDS", "check_year", "money_str", "ratio_str",
    "valid_id",
    # policies
    "Policy", "delete_policy", "governing", "governing_policy", "line_counts",
    "national_default", "parse_ratio", "policies_of_year", "set_policy",
    # exceptions
    "DECISIONS", "can_decide", "decide_exception", "decided_exceptions",
    "exception_document_for", "pending_exceptions",
    # filings
    "can_file_for", "current_filing", "delete_filing_window", "file_quota", "filing_history",
    "reserved_fen", "set_filing_window",
    "window_state",
    # computation
    "UnitQuota", "completed_filter", "compute", "counted_expr", "credit_map",
    "in_progress_filter", "quota_rows", "quota_totals", "rollup",
    "unit_quota",
    # status
    "completion_rate", "pace", "quota_status", "year_fraction_elapsed",
    # lines
    "LINE_COLUMNS", "iter_quota_lines", "quota_lines",
    # progress
    "cart_progress", "credited_unit_of", "eligible_amount_fen", "order_effect",
    # errors
    "Conflict", "NotFound", "PermissionDenied", "ValidationError",
]
