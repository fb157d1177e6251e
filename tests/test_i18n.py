"""Templates' `_()` follows the reader's language on every call, a mail's forced one included."""
from flask import render_template_string
from flask_babel import force_locale

TEMPLATE = '{{ _("筛选与排序") }}|{{ _("共 %(n)s 件商品", n=3) }}'


def test_a_templates_translations_follow_each_readers_language(app, client):
    assert "筛选与排序" in client.get("/products").get_data(as_text=True)
    client.get("/language/en")
    english = client.get("/products").get_data(as_text=True)
    assert "Filter and sort" in english and "筛选与排序" not in english
    assert "筛选与排序" in app.test_client().get("/products").get_data(as_text=True)
    with app.test_request_context():
        chinese = render_template_string(TEMPLATE)
        with force_locale("en"):       # a mail in its reader's language
            forced = render_template_string(TEMPLATE)
        assert render_template_string(TEMPLATE) == chinese == "筛选与排序|共 3 件商品"
    assert forced.startswith("Filter and sort|") and "3" in forced and forced != chinese
