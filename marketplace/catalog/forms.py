"""Forms of the catalog pages. The services validate the values; forms carry CSRF and choices."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (HiddenField, IntegerField, MultipleFileField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FieldError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.catalog.services import MAX_MIN_ORDER_QTY, MAX_STOCK, parse_price
from marketplace.catalog.services.common import parse_integer
from marketplace.errors import ValidationError
from marketplace.web import checked_by

LABEL_NAMES = {"green": _l("绿色食品"), "organic": _l("有机产品"), "gi": _l("地理标志")}


def choices(pairs):
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProductForm(FlaskForm):
    name = StringField(_l("品名"), validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("品类"), coerce=str, validators=[DataRequired()])
    spec = StringField(_l("规格"), validators=[Optional(), Length(max=60)],
                       description=_l("例如 500g/袋"))
    unit = StringField(_l("单位"), validators=[DataRequired(), Length(max=20)],
                       description=_l("例如 袋、斤、箱"))
    price = StringField(_l("单价（元）"), validators=[DataRequired(), Length(max=20)])
    stock = StringField(_l("库存"), validators=[DataRequired(), Length(max=12)])
    min_order_qty = StringField(_l("起订量"), default="1", validators=[Optional(), Length(max=12)])
    origin_region_code = SelectField(_l("产地县（区）"), coerce=str, validators=[DataRequired()])
    shelf_life = StringField(_l("保质期"), validators=[Optional(), Length(max=60)])
    storage = StringField(_l("储存方式"), validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("描述"), validators=[Optional(), Length(max=5000)])
    labels = MultiCheckboxField(_l("标签"), choices=choices(LABEL_NAMES.items()),
                                validators=[Optional()])
    photos = MultipleFileField(_l("照片（可多选，JPEG/PNG/WebP）"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    # The service's own parsers, run with the form's checks, so that a bad price shows beside
    # a missing name on the same submit instead of one after the other.
    def validate_price(self, field):
        _service_check(parse_price, field.data)

    def validate_stock(self, field):
        _service_check(parse_integer, field.data, "stock", _l("库存"), 0, MAX_STOCK)

    def validate_min_order_qty(self, field):
        if field.data:
            _service_check(parse_integer, field.data, "min_order_qty", _l("起订量"), 1,
                           MAX_MIN_ORDER_QTY)

    def service_data(self):
        """The values the catalog services take."""
        return {name: getattr(self, name).data for name in (
            "name", "category", "spec", "unit", "price", "stock", "min_order_qty",
            "origin_region_code", "shelf_life", "storage", "description", "labels")}


def _service_check(parse, *args):
    """A service parser's refusal as the field's error."""
    try:
        parse(*args)
    except ValidationError as error:
        raise FieldError(error.message) from None


class CertificationForm(FlaskForm):
    # Checked by the service, with the documents: a missing county and a missing document are
    # told in the same answer.
    region_codes = MultiCheckboxField(_l("申请认证的产地县（区）"), coerce=str,
                                      validators=[Optional()])
    documents = MultipleFileField(_l("营业执照等证明材料（PDF 或图片）"),
                                  render_kw={"accept": "application/pdf,image/jpeg,image/png"})


class ReviewForm(FlaskForm):
    stars = RadioField(_l("评分"), choices=choices((str(n), "★" * n) for n in range(5, 0, -1)),
                       validators=[DataRequired(message=_l("请选择评分。"))])
    text = TextAreaField(_l("评价"), validators=[Optional(), Length(max=1000)])


class CategoryForm(FlaskForm):
    name = StringField(_l("名称"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("英文名称"), validators=[Optional(), Length(max=80)])
    parent_id = SelectField(_l("上级品类"), coerce=str, validators=[Optional()])
    sort_order = IntegerField(_l("排序"), default=0,
                              validators=[Optional(), NumberRange(min=-1000, max=1000)])


class ReferencePriceForm(FlaskForm):
    category = SelectField(_l("品类"), coerce=str, validators=[DataRequired()])
    unit = StringField(_l("单位"), validators=[DataRequired(), Length(max=20)])
    price = StringField(_l("参考价（元）"), validators=[DataRequired(), Length(max=20),
                                                    checked_by(parse_price)])
    note = StringField(_l("说明"), validators=[Optional(), Length(max=200)])


class ProductReferenceForm(FlaskForm):
    reference_price = StringField(_l("本商品参考价（元，留空则清除）"),
                                  validators=[Optional(), Length(max=20),
                                              checked_by(parse_price, "reference_price")])


SYNONYM_KIND_NAMES = {"equal": _l("等同（=）：互相都能搜到"),
                      "broader": _l("包含（→）：搜前一个词也找后一个"),
                      "related": _l("相关（~）：互相也能搜到，排在后面")}


class SynonymForm(FlaskForm):
    word = StringField(_l("词语"), validators=[DataRequired(), Length(max=20)])
    other = StringField(_l("同义词"), validators=[DataRequired(), Length(max=20)])
    kind = SelectField(_l("关系"), choices=choices(SYNONYM_KIND_NAMES.items()),
                       validators=[DataRequired()])


class BulkUploadForm(FlaskForm):
    """A filled bulk listing file, checked (dry run) before anything is imported."""

    file = FileField(_l("填好的 Excel 文件（.xlsx）"),
                     validators=[FileRequired(message=_l("请选择文件。"))],
                     render_kw={"accept": ".xlsx,application/vnd.openxmlformats-officedocument"
                                          ".spreadsheetml.sheet"})


class BulkConfirmForm(FlaskForm):
    """Imports the file the dry run checked (kept on the server under `token`)."""

    token = HiddenField(validators=[DataRequired()])


class BulkPhotosForm(FlaskForm):
    photos = MultipleFileField(_l("照片或 zip 压缩包（文件名为商品编码，如 MX-001.jpg、MX-001_2.jpg）"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif,"
                                                    ".zip,application/zip"})
