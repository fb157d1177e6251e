"""The admin's search synonyms (土豆 = 马铃薯, 蘑菇 → 菌菇, 牦牛肉 ~ 牛肉), used when queries are
read (catalog.search.query)."""
import re

from marketplace.audit.services import record
from marketplace.catalog import search
from marketplace.catalog.models import SYNONYM_KINDS, SearchSynonym
from marketplace.catalog.services.common import require_admin
from marketplace.errors import Conflict, FieldErrors, NotFound, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _

MAX_LENGTH = 20
# A synonym is one word: Chinese characters, letters or digits, no spaces or punctuation.
_WORD = re.compile(r"^[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def synonyms():
    """Every synonym, by word."""
    return SearchSynonym.query.order_by(SearchSynonym.word, SearchSynonym.other).all()


def get_synonym(synonym_id):
    """:raises NotFound: no such synonym."""
    found = db.session.get(SearchSynonym, synonym_id) if isinstance(synonym_id, int) else None
    if found is None:
        raise NotFound(_("同义词不存在。"))
    return found


def _word(value, field_name):
    text = str(value or "").strip().lower()
    if not text:
        raise ValidationError(_("请填写词语。"), fields={field_name: "required"})
    if len(text) > MAX_LENGTH or not _WORD.match(text):
        raise ValidationError(_("词语须为 1–%(n)s 个汉字、字母或数字，不含空格和标点。", n=MAX_LENGTH),
                              fields={field_name: "invalid"})
    return text


def add_synonym(admin, word, other, kind):
    """The admin adds a synonym.

    :param kind: "equal" (either finds the other), "broader" (`word` also finds `other`),
        "related" (either also finds the other, ranked after its own matches).
    :raises PermissionDenied: not an admin.
    :raises ValidationError: a word missing, too long or not one word; the same word twice;
        an unknown kind.
    :raises Conflict: the two words are already paired (in either order).
    """
    require_admin(admin)
    errors = FieldErrors()  # both words and the kind told at once
    word, other = errors.check(_word, word, "word"), errors.check(_word, other, "other")
    if word is not None and word == other:
        errors.add(_("两个词语不能相同。"), "other", "same")
    if kind not in SYNONYM_KINDS:
        errors.add(_("请选择关系。"), "kind", "invalid")
    errors.raise_any()
    paired = SearchSynonym.query.filter(db.or_(
        db.and_(SearchSynonym.word == word, SearchSynonym.other == other),
        db.and_(SearchSynonym.word == other, SearchSynonym.other == word))).first()
    if paired is not None:
        raise Conflict(_("「%(a)s」和「%(b)s」已是同义词。", a=paired.word, b=paired.other),
                       fields={"word": "duplicate"}, code="duplicate")
    synonym = SearchSynonym(word=word, other=other, kind=kind)
    db.session.add(synonym)
    db.session.flush()
    record("search_synonym.create", synonym, actor=admin,
           detail={"word": word, "other": other, "kind": kind})
    search.learn_catalog_names()
    return synonym


def delete_synonym(admin, synonym):
    """The admin removes a synonym. :raises PermissionDenied: not an admin."""
    require_admin(admin)
    record("search_synonym.delete", synonym, actor=admin,
           detail={"word": synonym.word, "other": synonym.other, "kind": synonym.kind})
    db.session.delete(synonym)
    db.session.flush()
