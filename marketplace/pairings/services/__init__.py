"""万企兴万村 rules: villages, pairings and their progress, the village board, the
revitalisation view and the reminders. Plain functions that flush and never commit; every
change is written to the audit trail. Callers use the package as one module
(`from marketplace.pairings import services; services.create_pairing(...)`):

- `common`: who may see which pairing, year and text checks, whom to tell;
- `villages`: villages and the certified cooperatives of their county;
- `checks`: what a pairing must be made of (enterprise, target, cooperatives, projects);
- `pairings`: create, request, approve, reject and end pairings;
- `progress`: purchases counted with the quota's rules, the lines behind them, the pace;
- `board`: needs, answers and the conversations they open;
- `overview`: the revitalisation view by county and village, and its export rows;
- `reminders`: enterprises behind their pace in the last quarter.
"""
from .board import (answer_need, can_manage_need, can_publish, can_view_conversation,
                    close_need, conversations_of, get_conversation, get_need, needs_query,
                    post_message, publish_need)
from .checks import enterprise_of, households_reached, parse_target
from .common import (MAX_YEAR, MIN_YEAR, READER_ROLES, can_view_pairing, check_year,
                     get_pairing, is_enterprise_buyer, region_scope, visible_pairings)
from .overview import OVERVIEW_ROLES, REPORT_COLUMNS, overview, report_rows, report_totals
from .pairings import (approve_pairing, create_pairing, current_pairings_of, end_pairing,
                       reject_pairing, request_pairing)
from .progress import (PACE_STATUSES, Progress, in_last_quarter, pace_of, pairing_lines,
                       progress_map, progress_of, purchased_fen)
from .reminders import remind_behind
from .villages import (add_village, county_of, county_suppliers_query, find_village,
                       get_village, supplier_counties, villages_query)

__all__ = [
    "answer_need", "can_manage_need", "can_publish", "can_view_conversation", "close_need",
    "conversations_of", "get_conversation", "get_need", "needs_query", "post_message",
    "publish_need",
    "MAX_YEAR", "MIN_YEAR", "READER_ROLES", "can_view_pairing", "check_year", "get_pairing",
    "is_enterprise_buyer", "region_scope", "visible_pairings",
    "OVERVIEW_ROLES", "REPORT_COLUMNS", "overview", "report_rows", "report_totals",
    "approve_pairing", "create_pairing", "current_pairings_of", "end_pairing", "enterprise_of",
    "households_reached", "parse_target", "reject_pairing", "request_pairing",
    "PACE_STATUSES", "Progress", "in_last_quarter", "pace_of", "pairing_lines", "progress_map",
    "progress_of", "purchased_fen",
    "remind_behind",
    "add_village", "county_of", "county_suppliers_query", "find_village", "get_village",
    "supplier_counties", "villages_query",
]
