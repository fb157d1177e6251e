"""The quota report as PDF (fpdf2): title, summary, completion charts and the table.

Chinese needs a CJK font embedded in the file: `REPORTS_CJK_FONT` (default: Noto Sans CJK from
the Debian package fonts-noto-cjk) with `REPORTS_CJK_FONT_INDEX` the face of a .ttc collection
(2 = Simplified Chinese). Where that file is missing (a new machine without the package), the
report embeds Noto Sans SC as the Python package pylopdf-fonts-zh-cn ships it, so a PDF is
always produced and shows Chinese in any viewer. fpdf2 embeds only the glyphs used, so files
stay small.
"""
import logging
import os
from decimal import Decimal

from flask import current_app
from fpdf import FPDF

from marketplace.errors import DomainError
from marketplace.i18n import translate as _
from marketplace.money import amount_text
from marketplace.reports import charts

try:
    from pylopdf_fonts_zh_cn import sans_path as _shipped_font
except ImportError:  # installed without its dependencies: only the configured font then
    _shipped_font = None

log = logging.getLogger(__name__)

FONT = "cjk"

# The printed columns (the people's cells in quota order; the exception column becomes the
# ratio's "*"): (index in the row, width in mm, alignment). 277 mm: A4 landscape's width.
TABLE = ((0, 16, "R"), (1, 52, "L"), (2, 40, "L"), (3, 24, "C"), (4, 26, "R"), (5, 14, "R"),
         (6, 24, "R"), (7, 24, "R"), (8, 20, "R"), (9, 16, "R"), (10, 21, "C"))
RATIO, STATUS, FITTED = 5, 10, (1, 2)
ROW_HEIGHT = 6.0


class FontMissing(DomainError, status=503, code="pdf_font_missing"):
    """The CJK font for PDF reports is not installed where the configuration says (503)."""


def font_config():
    """(path, collection index) of the CJK font: REPORTS_CJK_FONT when the file is there,
    else the Noto Sans SC a Python package ships.

    :raises FontMissing: neither is there (the package was installed without dependencies).
    """
    path = current_app.config["REPORTS_CJK_FONT"]
    index = current_app.config["REPORTS_CJK_FONT_INDEX"]
    if os.path.isfile(path):
        return path, index if path.lower().endswith((".ttc", ".otc")) else 0
    shipped = _shipped_font() if _shipped_font else None
    if shipped is not None and shipped.is_file():
        log.warning("REPORTS_CJK_FONT %s not found: PDF reports embed %s (install "
                    "fonts-noto-cjk, or point REPORTS_CJK_FONT at a CJK font)", path, shipped)
        return str(shipped), 0
    raise FontMissing(_("PDF 报表需要中文字体，但未找到 %(path)s：请安装 fonts-noto-cjk，"
                        "或将 REPORTS_CJK_FONT 设为一个 TTF/OTF/TTC 字体文件。", path=path))


class ReportPDF(FPDF):
    """An A4 document (landscape by default) whose footer carries the export's identity and
    digest, and whose metadata names the export (`keywords`, see integrity.pdf_keywords)."""

    def __init__(self, footer_text, orientation="L", keywords=None):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.footer_text = footer_text
        if keywords:
            self.set_keywords(keywords)
        self.table_header = None
        path, index = font_config()
        self.add_font(FONT, fname=path, collection_font_number=index)
        self.set_auto_page_break(False)
        self.set_margins(10, 10, 10)
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-11)
        self.set_font(FONT, size=7)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_xy(-40, -11)
        self.cell(30, 4, f"{self.page_no()} / {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    @property
    def bottom_limit(self):
        return self.h - 16


def fit_text(pdf, text, width):
    """The text, shortened with an ellipsis to fit `width` mm at the current font."""
    text = "" if text is None else str(text)
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"


def _percent(value):
    if value in (None, ""):
        return "—"
    return f"{Decimal(str(value)) * 100:.2f}%"


def _draw_header(pdf, columns):
    pdf.set_font(FONT, size=7.5)
    pdf.set_fill_color(55, 71, 79)
    pdf.set_text_color(255, 255, 255)
    for index, width, _align in TABLE:
        pdf.cell(width, ROW_HEIGHT, fit_text(pdf, columns[index], width), border=0, align="C",
                 fill=True)
    pdf.ln(ROW_HEIGHT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=8)


def _summary(pdf, rows, totals, x, y):
    """Counts by status and the totals, as a two-column block at (x, y)."""
    counts = {status: 0 for status in charts.STATUS_ORDER}
    for row in rows:
        counts[row.get("status")] = counts.get(row.get("status"), 0) + 1
    pdf.set_xy(x, y)
    pdf.set_font(FONT, size=11)
    pdf.cell(90, 7, _("汇总"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    lines = [(_("单位数"), str(len(rows)))]
    lines += [(charts.status_label(status), str(count))
              for status, count in counts.items()]
    reserved = Decimal(str(totals.get("reserved") or 0))
    completed = Decimal(str(totals.get("completed") or 0))
    lines += [(_("预留金额合计（元）"), amount_text(reserved)),
              (_("已完成金额合计（元）"), amount_text(completed)),
              (_("在途金额合计（元）"), amount_text(totals.get("in_progress") or 0)),
              (_("总体完成率"), _percent(completed / reserved) if reserved else "—")]
    for label, value in lines:
        pdf.set_x(x)
        pdf.cell(55, 5.2, label)
        pdf.cell(35, 5.2, value, align="R", new_x="LMARGIN", new_y="NEXT")


def write_pdf(target, *, rows, cells, columns, totals, title, subtitle_lines, footer_text,
              closing, keywords=None):
    """Write the quota report to `target` (a path or binary file).

    :param rows: the quota rows (dicts with the API's fields), for the summary and charts.
    :param cells: the same rows as people read them (reports.people), and `columns` their names.
    :param closing: sentences printed at the end: who exported it, its code and digest.
    :param keywords: the metadata naming the export.
    """
    pdf = ReportPDF(footer_text, keywords=keywords)
    pdf.set_title(title)
    pdf.set_creator("marketplace reports")
    pdf.add_page()
    pdf.set_font(FONT, size=16)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(70, 70, 70)
    for line in subtitle_lines:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    top = pdf.get_y() + 3
    _summary(pdf, rows, totals, 10, top)
    charts.draw_pdf(pdf, charts.completion_histogram_chart(rows), 108, top, 88, 62, FONT)
    charts.draw_pdf(pdf, charts.status_counts_chart(rows), 200, top, 88, 62, FONT)

    pdf.set_y(top + 68)
    _draw_header(pdf, columns)
    for row, line in zip(rows, cells):
        if pdf.get_y() + ROW_HEIGHT > pdf.bottom_limit:
            pdf.add_page()
            _draw_header(pdf, columns)
        for index, width, align in TABLE:
            text = "" if line[index] is None else str(line[index])
            if index == RATIO and row.get("exception_status") == "pending":
                text += "*"  # counted at the minimum while the exception waits
            if index == STATUS:
                pdf.set_text_color(*charts._hex_rgb(charts.STATUS_COLOURS.get(row.get("status"),
                                                                              "#000000")))
            if index in FITTED:  # the columns of unbounded length
                text = fit_text(pdf, text, width)
            pdf.cell(width, ROW_HEIGHT, text or "—", border="B", align=align)
            pdf.set_text_color(0, 0, 0)
        pdf.ln(ROW_HEIGHT)
    if totals:
        if pdf.get_y() + ROW_HEIGHT > pdf.bottom_limit:
            pdf.add_page()
            _draw_header(pdf, columns)
        pdf.set_font(FONT, size=8)
        for index, width, align in TABLE:
            value = {0: _("合计"), 6: totals.get("reserved"), 7: totals.get("completed"),
                     8: totals.get("in_progress")}.get(index, "")
            if index in (6, 7, 8):
                value = amount_text(value)
            pdf.cell(width, ROW_HEIGHT, "" if value is None else str(value), border="T",
                     align=align)
        pdf.ln(ROW_HEIGHT)

    if any(row.get("exception_status") == "pending" for row in rows):
        pdf.ln(2)
        pdf.set_font(FONT, size=8)
        pdf.cell(0, 4.5, _("* 预留比例例外申请待审批，按政策最低比例计算。"),
                 new_x="LMARGIN", new_y="NEXT")

    if pdf.get_y() + 8 + 10 * len(closing) > pdf.bottom_limit:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, size=10)
    pdf.cell(0, 6, _("关于本报表"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8.5)
    for sentence in closing:
        pdf.multi_cell(0, 4.8, sentence, new_x="LMARGIN", new_y="NEXT")
    pdf.output(target)
