"""万企兴万村 as the JSON API shows it: pairings and their progress, the lines behind them,
villages, the board's needs and conversations, and the revitalisation view."""
from marketplace.money import fen_str
from marketplace.pairings.services import households_reached, report_totals
from marketplace.timeutil import iso, utcnow


def _rate(rate):
    return None if rate is None else f"{rate:.4f}"


def progress_json(progress):
    """The API's progress: purchased, target, rate (four places), and the pace."""
    return {"purchased": fen_str(progress.purchased), "target": fen_str(progress.target),
            "rate": _rate(progress.rate), "expected": fen_str(progress.expected),
            "pace": progress.pace}


def pairing_json(pairing, progress):
    """A pairing with its progress (`progress`: its services.Progress)."""
    village = pairing.village
    return {
        "id": pairing.id, "enterprise_id": pairing.enterprise_id,
        "enterprise_name": pairing.enterprise.name, "village_id": village.id,
        "village": village.name, "county_code": village.county_code,
        "county_name": village.county.name if village.county else None,
        "supplier_ids": pairing.supplier_ids,
        "suppliers": [{"id": s.id, "name": s.name} for s in pairing.suppliers],
        "year": pairing.year, "target_amount": fen_str(pairing.target_fen),
        "status": pairing.status, "note": pairing.note,
        "projects": [{"id": p.id, "kind": p.kind, "name": p.name, "households": p.households,
                      "bases": p.bases, "description": p.description} for p in pairing.projects],
        "households": households_reached(pairing),
        "created_at": iso(pairing.created_at), "decided_at": iso(pairing.decided_at),
        "decision_note": pairing.decision_note, "ended_at": iso(pairing.ended_at),
        "end_reason": pairing.end_reason,
        "progress": progress_json(progress),
    }


def line_json(line):
    """A pairing line (one of services.pairing_lines): money as "1234.50", time in CST."""
    return {"line_id": line["line_id"], "order_id": line["order_id"],
            "order_number": line["order_number"], "supplier_id": line["supplier_id"],
            "product_id": line["product_id"], "product_name": line["product_name"],
            "quantity": line["quantity"], "accepted_quantity": line["accepted_quantity"],
            "unit_price": fen_str(line["unit_price_fen"]),
            "refunded": fen_str(line["refunded_fen"]), "counted": fen_str(line["counted_fen"]),
            "accepted_at": iso(line["accepted_at"])}


def village_json(village, partners=None):
    """A village (`partners`: how many enterprises pair with it now)."""
    body = {"id": village.id, "name": village.name, "county_code": village.county_code,
            "county_name": village.county.name if village.county else None}
    if partners is not None:
        body["partners"] = partners
    return body


def need_json(need):
    return {"id": need.id, "village_id": need.village_id, "village": need.village.name,
            "county_code": need.village.county_code, "kind": need.kind, "title": need.title,
            "description": need.description, "quantity": need.quantity, "unit": need.unit,
            "season": need.season, "project_kind": need.project_kind, "status": need.status,
            "publisher_id": need.publisher_id, "publisher_name": need.publisher.name,
            "created_at": iso(need.created_at)}


def conversation_json(conversation):
    """A conversation with its messages."""
    return {"id": conversation.id, "need_id": conversation.need_id,
            "enterprise_id": conversation.enterprise_id,
            "enterprise_name": conversation.enterprise.name,
            "created_at": iso(conversation.created_at),
            "messages": [{"id": m.id, "author_id": m.author_id, "author_name": m.author.name,
                          "organization_id": m.author.organization_id, "body": m.body,
                          "created_at": iso(m.created_at)}
                         for m in conversation.messages]}


def overview_json(view):
    """The revitalisation view (services.overview)."""
    return {
        "year": view.year, "region": view.region,
        "totals": report_totals(view),
        "counties": [{"county_code": c.code, "county_name": c.name, "villages": len(c.villages),
                      "pairings": c.pairings, "target": fen_str(c.target),
                      "purchased": fen_str(c.purchased), "rate": _rate(c.rate),
                      "behind": c.behind, "villages_without_partner": c.unpartnered}
                     for c in view.counties],
        "pairings": [{"id": p.id, "enterprise_id": p.enterprise_id,
                      "enterprise_name": p.enterprise.name, "village_id": p.village_id,
                      "village": p.village.name, "county_code": p.village.county_code,
                      "status": p.status, "progress": progress_json(state)}
                     for p, state in view.rows],
        "enterprises_behind": [{"pairing_id": p.id, "enterprise_id": p.enterprise_id,
                                "enterprise_name": p.enterprise.name, "village": p.village.name,
                                "progress": progress_json(state)}
                               for p, state in view.behind],
        "villages_without_partner": [{"id": v.id, "name": v.name, "county_code": v.county_code}
                                     for v in view.unpartnered],
        "generated_at": iso(utcnow()),
    }
