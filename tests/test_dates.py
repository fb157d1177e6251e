"""Dates for people: 2026年12月4日 on Chinese pages, December 4, 2026 on English ones, one helper."""
from datetime import date, datetime, timezone

from flask import render_template_string
from flask_babel import force_locale

from marketplace.i18n import format_day


def test_a_day_reads_in_chinese_and_in_english(app):
    with app.test_request_context():
        assert format_day(date(2026, 12, 4)) == "2026年12月4日"
        assert format_day("2026-12-04") == "2026年12月4日"
        assert format_day(None) == "—"
        # 22:30 UTC is the next morning in Beijing
        assert format_day(datetime(2026, 12, 3, 22, 30, tzinfo=timezone.utc), True) \
            == "2026年12月4日 06:30"
        with force_locale("en"):
            assert format_day(date(2026, 12, 4)) == "December 4, 2026"


def test_the_cst_filter_prints_the_readers_date_and_the_time_asked(app):
    moment = datetime(2026, 12, 4, 6, 5, 9, tzinfo=timezone.utc)
    with app.test_request_context():
        assert render_template_string("{{ m|cst }}", m=moment) == "2026年12月4日 14:05"
        assert render_template_string('{{ m|cst("%Y-%m-%d") }}', m=moment) == "2026年12月4日"
        assert render_template_string('{{ m|cst("%Y-%m-%d %H:%M:%S") }}', m=moment) \
            == "2026年12月4日 14:05:09"
        assert render_template_string("{{ d|day }}", d=date(2026, 3, 31)) == "2026年3月31日"
