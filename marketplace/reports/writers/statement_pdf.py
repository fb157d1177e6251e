"""A supplier's credit statement (信用证明) as PDF (fpdf2): portrait A4, from the statement's
facts (marketplace.credit.services.statement_facts), with the code that checks it."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from marketplace.accounts.labels import credit_tier_label
from marketplace.credit import services as credit
from marketplace.credit.labels import reason_label
from marketplace.i18n import format_day
from marketplace.i18n import translate as _
from marketplace.money import amount_text
from marketplace.reports import charts
from marketplace.reports.writers.pdf_export import FONT, ReportPDF, fit_text

LABEL_WIDTH = 42
LINE = 6.0
CERTIFICATION_STATUSES = {"pending": _l("待审核"), "approved": _l("已认证"),
                          "rejected": _l("未通过"), "suspended": _l("已暂停")}


def _heading(pdf, text):
    if pdf.get_y() > pdf.h - 45:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, size=12)
    pdf.set_text_color(28, 61, 90)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(144, 164, 174)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=9.5)
    pdf.ln(1.5)


def _facts(pdf, pairs):
    for label, value in pairs:
        pdf.set_text_color(90, 90, 90)
        pdf.cell(LABEL_WIDTH, LINE, label)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(0, LINE, str(value) if value not in (None, "") else "—", align="L",
                       new_x="LMARGIN", new_y="NEXT")


def _table(pdf, header, rows, widths, aligns, total=None):
    pdf.set_font(FONT, size=9)
    pdf.set_fill_color(236, 239, 241)
    for text, width, align in zip(header, widths, aligns):
        pdf.cell(width, LINE, text, fill=True, align="C" if align != "L" else "L")
    pdf.ln(LINE)
    for row in rows:
        if pdf.get_y() + LINE > pdf.h - 20:
            pdf.add_page()
        for text, width, align in zip(row, widths, aligns):
            pdf.cell(width, LINE, fit_text(pdf, text, width), border="B", align=align)
        pdf.ln(LINE)
    if total:
        for text, width, align in zip(total, widths, aligns):
            pdf.cell(width, LINE, str(text), border="T", align=align)
        pdf.ln(LINE)
    pdf.set_font(FONT, size=9.5)


def _month(label):
    """A month of the facts ("2026-03") as people read it: 2026年3月 (March 2026)."""
    year, _dash, month = str(label).partition("-")
    if not (year.isdigit() and month.isdigit()):
        return str(label)
    return _("%(year)s年%(month)s月", year=year, month=int(month))


def _month_short(label):
    """A month on the chart's axis: 12月 (Month 12)."""
    month = str(label).rpartition("-")[2]
    return _("%(m)s月", m=int(month)) if month.isdigit() else str(label)


def _months_table(pdf, months, width):
    """The twelve months side by side in two halves of six rows (month, orders, amount)."""
    half = width / 2
    widths, aligns = (half * 0.34, half * 0.22, half * 0.40), ("L", "R", "R")
    header = (_("月份"), _("订单数"), _("验收金额（元）"))
    pdf.set_font(FONT, size=9)
    pdf.set_fill_color(236, 239, 241)
    top = pdf.get_y()
    rows = [(_month(item["month"]), str(item["orders"]), amount_text(item["amount"]))
            for item in months]
    for column, part in enumerate((rows[:6], rows[6:])):
        x = pdf.l_margin + column * half
        pdf.set_xy(x, top)
        for text, cell_width, align in zip(header, widths, aligns):
            pdf.cell(cell_width, LINE, text, fill=True, align=align)
        for row_number, row in enumerate(part, start=1):
            pdf.set_xy(x, top + row_number * LINE)
            for text, cell_width, align in zip(row, widths, aligns):
                pdf.cell(cell_width, LINE, text, border="B", align=align)
    pdf.set_xy(pdf.l_margin, top + 7 * LINE + 1)




def write_statement(target, *, facts, code, issued_at, issued_to, verify_url, keywords):
    """Write the statement to `target` (a path or binary file).

    :param facts: the statement's facts. :param code: the integrity code (grouped).
    :param issued_at: the issue time as text (China Standard Time).
    :param issued_to: who downloaded it ("name <e-mail>"). :param verify_url: the verify page.
    """
    footer = _("核验码 %(code)s · 出具时间 %(time)s", code=code, time=issued_at)
    pdf = ReportPDF(footer, orientation="P", keywords=keywords)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(15, 14, 15)
    supplier = facts["supplier"]
    pdf.set_title(_("供应商信用证明"))
    pdf.set_subject(keywords)
    pdf.set_creator("marketplace reports")
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 10, _("供应商信用证明"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(70, 70, 70)
    pdf.cell(0, 5, _("消费帮扶采购平台根据平台交易记录出具"), align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_text_color(0, 0, 0)

    _heading(pdf, _("一、合作社信息"))
    _facts(pdf, [(_("名称"), supplier["name"]), (_("统一社会信用代码"), supplier["credit_code"]),
                 (_("所在地区"), supplier["region"]),
                 (_("地址"), supplier["address"]), (_("联系人"), supplier["contact_name"]),
                 (_("入驻平台日期"), format_day(supplier["member_since"]))])

    _heading(pdf, _("二、产地认证"))
    certifications = facts["certifications"]
    if certifications:
        _table(pdf, [_("产地"), _("状态"), _("认证日期")],
               [[item["region"],
                 str(CERTIFICATION_STATUSES.get(item["status"], item["status"])),
                 format_day(item["since"])] for item in certifications],
               [110, 35, 35], ["L", "C", "C"])
    else:
        pdf.cell(0, LINE, _("暂无产地认证。"), new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, _("三、信用积分与等级"))
    _facts(pdf, [(_("积分"), facts["points"]),
                 (_("等级"), str(credit_tier_label(facts["tier"]))),
                 (_("等级规则"), _("%(silver)s 分起为银卡，%(gold)s 分起为金卡，%(diamond)s 分起为钻石卡。",
                                   **dict(credit.TIER_FLOORS)))])

    _heading(pdf, _("四、近十二个月验收金额"))
    months = facts["months"]
    chart = charts.monthly_chart([(_month_short(item["month"]), Decimal(item["amount"]))
                                  for item in months],
                                 title=_("每月验收金额（元）"))
    top = pdf.get_y()
    if top + 100 > pdf.h - 20:
        pdf.add_page()
        top = pdf.get_y()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    charts.draw_pdf(pdf, chart, pdf.l_margin, top, width, 52, FONT)
    pdf.set_y(top + 54)
    _months_table(pdf, months, width)
    pdf.set_font(FONT, size=9.5)
    pdf.cell(0, LINE, _("合计：%(orders)s 笔订单，%(amount)s 元", orders=facts["orders_total"],
                        amount=amount_text(facts["sales_total"])), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 4.5, _("验收金额：买方验收的数量 × 单价，扣除退款，计入验收所在月份（北京时间）。"),
                   align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)

    _heading(pdf, _("五、积分明细汇总"))
    events = facts["events"]
    if events:
        _table(pdf, [_("原因"), _("次数"), _("积分")],
               [[str(reason_label(item["reason"])), str(item["count"]), f"{item['points']:+d}"]
                for item in events], [110, 35, 35], ["L", "R", "R"],
               total=[_("合计"), sum(item["count"] for item in events), f"{facts['points']:+d}"])
    else:
        pdf.cell(0, LINE, _("暂无积分记录。"), new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, _("六、出具与核验"))
    _facts(pdf, [(_("出具时间"), issued_at), (_("下载人"), issued_to), (_("核验码"), code)])
    pdf.set_font(FONT, size=9)
    how = _("核验方法：打开 %(url)s ，上传本 PDF 文件或输入上面的核验码。文件内容被改动后将无法通过核验；"
            "输入核验码可查看平台保存的本证明内容，与纸质件逐项核对。", url=verify_url)
    pdf.multi_cell(0, 5, how, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.output(target)
