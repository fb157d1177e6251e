"""Overdue payments, account summaries and making settlement statements (结算单)."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from marketplace.accounts.auth import roles_required
from marketplace.i18n import translate as _
from marketplace.payments import forms, services
from marketplace.payments.views import bp
from marketplace.web import run_form


@bp.get("/payments/overdue")
@roles_required("supplier_staff", "admin", "purchaser", "unit_manager")
def overdue():
    orders = services.overdue_orders(current_user)
    rows = [(order, services.amount_due_fen(order), services.effective_due_date(order))
            for order in orders]
    return render_template("payments/overdue.html", rows=rows,
                           total=sum(due for _, due, _ in rows))


@bp.get("/payments/")
@roles_required("supplier_staff", "admin", "purchaser", "unit_manager")
def accounts():
    summary = None
    if current_user.role != "admin":
        summary = services.account_summary(current_user.organization)
    statements = services.statements_for(current_user).limit(100).all()
    return render_template("payments/accounts.html", summary=summary, statements=statements)


@bp.route("/payments/statements/new", methods=["GET", "POST"])
@roles_required("supplier_staff")
def new_statement():
    form = forms.StatementForm()
    buyers = services.statement_buyers(current_user.organization_id)
    form.buyer_organization_id.choices = [(org.id, org.name) for org in buyers]
    done, result = run_form(form, lambda: services.create_statement(
        current_user, form.buyer_organization_id.data, form.period_start.data,
        form.period_end.data), {"period": "period_end"})  # the period's problem under its end
    if done:
        flash(_("结算单已生成。"), "success")
        return redirect(url_for("payments.statement", statement_id=result.id))
    return render_template("payments/statement_new.html", form=form), result
