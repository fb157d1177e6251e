"""The page frame (marketplace.frame): base.html kept per role, language, menu and page, and
each user's own values filled in per request — the same page as base.html renders in full."""
from flask import g, render_template
from flask_login import login_user
from markupsafe import Markup

from marketplace.frame import render_framed
from tests import factories

CONTENT = Markup('<p data-testid="content">内容</p>')


def framed_and_full(app, user, url):
    """The page framed and the page rendered in full, in one request made by `user`."""
    with app.test_request_context(url):
        g.pop("_login_user", None)
        login_user(user)
        framed = render_framed("商品<", CONTENT)
        full = render_template("page.html", title=Markup("{} · ").format("商品<"),
                               content=CONTENT)
    return framed, full


def test_a_kept_frame_shows_each_user_their_own_name_token_and_way_back(app, db):
    app.extensions.pop("page_frames", None)
    first = factories.user("purchaser", name="王<b>采购")
    second = factories.user("purchaser", name="李&采购",
                            organization=factories.org(name="拉萨<一中>"))
    db.session.commit()
    framed, full = framed_and_full(app, first, "/products?q=%E6%9D%BE")
    assert framed == full and "王&lt;b&gt;采购" in framed and "<title>商品&lt; · " in framed
    framed, full = framed_and_full(app, second, "/products?q=%E8%8C%B6")  # from the kept frame
    assert len(app.extensions["page_frames"]) == 1
    assert framed == full
    assert "李&amp;采购</summary>" in framed and "拉萨&lt;一中&gt;</li>" in framed
    assert "王" not in framed
    assert "next=/products?q%3D%25E8%258C%25B6" in framed or "%E8%8C%B6" in framed
    assert 'data-testid="content">内容</p>' in framed


def test_the_menu_of_a_user_with_an_entry_others_of_the_role_lack(app, db):
    app.extensions.pop("page_frames", None)
    unit_buyer = factories.user("purchaser")
    enterprise_buyer = factories.user("purchaser", organization=factories.org("enterprise"))
    db.session.commit()
    unit_page, _ = framed_and_full(app, unit_buyer, "/products")
    enterprise_page, _ = framed_and_full(app, enterprise_buyer, "/products")
    assert 'href="/pairings/"' in enterprise_page and 'href="/pairings/"' not in unit_page
    assert len(app.extensions["page_frames"]) == 2


def test_a_language_switch_and_a_message_show_at_once(client, db, login_as):
    login_as("purchaser")
    assert "退出" in client.get("/products").get_data(as_text=True)
    client.get("/language/en?next=/products")
    page = client.get("/products").get_data(as_text=True)
    assert 'data-testid="logout">Log out' in page and 'lang="en"' in page
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "已加入购物车")]
    assert "已加入购物车" in client.get("/products").get_data(as_text=True)
    assert "已加入购物车" not in client.get("/products").get_data(as_text=True)
