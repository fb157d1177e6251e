"""The one table of the audit trail's words: actions as phrases, objects and fields by name,
stored values (statuses, kinds) in the reader's language.

The trail stores codes (``organization.approve``, table names, ``amount_fen``); these tables turn
them into what a person reads. A code missing here still shows, as a last resort, so a new action
is never hidden — add its words here.
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from marketplace.accounts.labels import KIND_LABELS, ROLE_LABELS
from marketplace.accounts.labels import STATUS_LABELS as ORG_STATUS_LABELS
from marketplace.compliance.labels import CANTEEN_LABELS, EXCEPTION_LABELS
from marketplace.ordering.services.common import status_label as order_status_label
from marketplace.pairings.labels import NEED_KIND_LABELS, PROJECT_LABELS

def _noun(text):
    return lazy_pgettext("audit trail object", text)


# What was acted on: the stored object type (a table name) → its name as a noun in a sentence
# ("暂停了机构「…」", "suspended organisation “…”"): a context of its own, since the same
# Chinese word is a menu's label elsewhere (订单 → "Orders").
OBJECT_KINDS = {
    "organizations": _noun("机构"), "users": _noun("用户"), "orders": _noun("订单"),
    "products": _noun("商品"), "payments": _noun("付款"), "refunds": _noun("退款"),
    "invoices": _noun("发票"), "supplier_certifications": _noun("产地认证"),
    "supplier_documents": _noun("资质文件"), "filings": _noun("预留份额填报"),
    "filing_windows": _noun("填报期"), "quota_policies": _noun("预留政策"), "regions": _noun("行政区划"),
    "categories": _noun("商品分类"), "reference_prices": _noun("参考价"), "reviews": _noun("评价"),
    "search_synonyms": _noun("搜索同义词"), "cart_items": _noun("购物车商品"),
    "delivery_addresses": _noun("收货地址"), "settlement_statements": _noun("结算单"),
    "credit_events": _noun("信用积分记录"), "pairings": _noun("结对"), "villages": _noun("行政村"),
    "village_needs": _noun("村级需求"), "need_conversations": _noun("需求会话"),
    "report_exports": _noun("报表导出"), "system": _noun("系统"),
}

# What was done, as the verb phrase of "<who> <phrase> <object>". A prefix ending in "." names
# the actions of one kind (`order.` → every order action) in the filter.
ACTION_LABELS = {
    "organization.register": _l("注册了"), "organization.create": _l("创建了"),
    "organization.update": _l("修改了"), "organization.approve": _l("审核通过了"),
    "organization.reject": _l("驳回了"), "organization.suspend": _l("暂停了"),
    "organization.reactivate": _l("恢复了"), "organization.approval_threshold": _l("设置了审批额度："),
    "user.create": _l("添加了"), "user.activate": _l("启用了"), "user.deactivate": _l("停用了"),
    "user.password_reset_requested": _l("申请重置密码："), "user.password_reset": _l("重置了密码："),
    "user.password_change": _l("修改了密码："), "user.registration_attempt": _l("再次尝试注册："),
    "product.create": _l("上架了"), "product.update": _l("修改了"), "product.pause": _l("暂停销售了"),
    "product.resume": _l("恢复销售了"), "product.archive": _l("下架了"),
    "product.take_down": _l("强制下架了"), "product.restore": _l("恢复了"),
    "product.reference_price": _l("设置了参考价："),
    "category.create": _l("新建了"), "category.update": _l("修改了"),
    "review.create": _l("评价了"), "search_synonym.create": _l("添加了"),
    "search_synonym.delete": _l("删除了"), "reference_price.set": _l("设置了"),
    "reference_price.delete": _l("删除了"), "supplier_document.upload": _l("上传了"),
    "certification.apply": _l("申请了"), "certification.approve": _l("审核通过了"),
    "certification.reject": _l("驳回了"), "certification.suspend": _l("暂停了"),
    "cart.add": _l("加入购物车："), "cart.update": _l("修改了数量："), "cart.remove": _l("移出购物车："),
    "order.place": _l("下单："), "order.pending_approval": _l("提交审批："),
    "order.placed": _l("批准了"), "order.confirmed": _l("确认了"), "order.shipped": _l("发货了"),
    "order.accepted": _l("验收了"), "order.completed": _l("完成了"), "order.cancelled": _l("取消了"),
    "order.restocked": _l("将拒收商品退回库存："),
    "order.rejected": _l("驳回了"), "order.extend_due": _l("延长了付款期限："),
    "delivery_address.create": _l("保存了"), "delivery_address.save": _l("保存了"),
    "delivery_address.delete": _l("删除了"),
    "quota_policy.create": _l("新建了"), "quota_policy.update": _l("修改了"),
    "quota_policy.delete": _l("删除了"), "filing_window.set": _l("设置了"),
    "filing_window.delete": _l("删除了"), "filing.create": _l("填报了"),
    "filing.correct": _l("更正了"), "filing.exception_approved": _l("批准了例外："),
    "filing.exception_rejected": _l("驳回了例外："),
    "credit.correct": _l("更正了信用积分："), "credit.recompute": _l("重新计算了信用积分："),
    "region.create": _l("新增了"), "region.update": _l("修改了"),
    "payment.refund_due": _l("提醒应退款："), "payment.refund_reminder": _l("再次提醒应退款："),
    "payment.overdue_reminder": _l("提醒逾期付款："), "payment.stripe_start": _l("发起了在线支付："),
    "payment.test_confirm": _l("测试确认了"), "payment.succeeded": _l("收到了"),
    "payment.processing": _l("处理中："), "payment.canceled": _l("取消了"),
    "payment.requires_payment_method": _l("未能完成"),
    "payment.transfer_recorded": _l("登记了银行转账："),
    "payment.transfer_confirmed": _l("确认收到银行转账："),
    "payment.transfer_rejected": _l("退回了银行转账："),
    "refund.create": _l("办理了"), "refund.failed": _l("未能完成"),
    "settlement.create": _l("生成了"), "settlement.settle": _l("结清了"),
    "invoice.request": _l("申请了"), "invoice.issue": _l("开具了"),
    "report.export": _l("导出了报表："), "report.export_completed": _l("完成了报表导出："),
    "report.export_file": _l("生成了报表文件："), "report.verify": _l("核验了报表："),
    "village.create": _l("新增了"), "village_need.publish": _l("发布了"),
    "village_need.close": _l("关闭了"), "village_need.answer": _l("回应了"),
    "need_conversation.message": _l("留言于"),
    "pairing.create": _l("建立了"), "pairing.request": _l("申请了"), "pairing.approve": _l("批准了"),
    "pairing.reject": _l("驳回了"), "pairing.end": _l("结束了"),
    "pairing.remind_behind": _l("提醒进度落后："),
}

# The kinds offered in the action filter ("order." = every order action).
ACTION_GROUPS = {
    "organization.": _l("机构审核与修改"), "user.": _l("用户"), "product.": _l("商品"),
    "certification.": _l("产地认证"), "order.": _l("订单"), "payment.": _l("付款"),
    "refund.": _l("退款"), "invoice.": _l("发票"), "filing.": _l("预留份额填报"),
    "quota_policy.": _l("预留政策"), "credit.": _l("信用积分"), "pairing.": _l("结对"),
    "report.": _l("报表"),
}

# Stored detail keys → field names in words.
FIELD_LABELS = {
    "status": _l("状态"), "name": _l("名称"), "price_fen": _l("价格"), "stock": _l("库存"),
    "origin_region_code": _l("产地"), "photos": _l("照片数"), "reason": _l("原因"),
    "note": _l("说明"), "parent_id": _l("上级"), "product_id": _l("商品"), "stars": _l("评分"),
    "word": _l("词"), "other": _l("同义词"), "kind": _l("类型"), "category_id": _l("分类"),
    "unit": _l("单位"), "size": _l("大小（字节）"), "region_code": _l("地区"),
    "direct": _l("管理员直接认证"), "off_sale_products": _l("下架商品数"),
    "quantity": _l("数量"), "number": _l("编号"), "total_fen": _l("金额"),
    "checkout_total_fen": _l("本次结算总额"), "lines": _l("商品行数"),
    "region_prefix": _l("适用地区"), "year": _l("年度"), "min_ratio": _l("最低比例"),
    "eligible_origin_prefixes": _l("计入产地"), "count_union_purchases": _l("工会采购计入"),
    "unit_id": _l("单位"), "version": _l("版本"), "exception_ref": _l("例外批准文号"),
    "ratio": _l("预留比例"), "counted_ratio": _l("计入比例"), "reserved_fen": _l("预留金额"),
    "reserved": _l("预留金额"), "food_budget": _l("食材采购预算"), "canteen_status": _l("食堂情况"),
    "opens_on": _l("开始日期"), "closes_on": lazy_pgettext("filing window", "截止日期"), "supplier_id": _l("供应商"),
    "points": _l("积分"), "added": _l("新增"), "removed": _l("删除"), "changed": _l("变更"),
    "aided": _l("脱贫地区"), "parent_code": _l("上级地区"), "refund_due_fen": _l("应退金额"),
    "orders": _l("订单数"), "invoice_number": _l("发票号"), "order_id": _l("订单"),
    "amount_fen": _l("金额"), "intent_status": _l("支付状态"), "due_fen": _l("应付金额"),
    "amount_mismatch": _l("金额不符"), "line_id": _l("订单行"), "transfer_reference": _l("转账流水号"),
    "format": _l("格式"), "scope": _l("范围"), "filters": _l("筛选条件"), "rows": _l("行数"),
    "outcome": _l("核验结果"), "method": _l("核验方式"), "village_id": _l("行政村"),
    "title": _l("标题"), "need_id": _l("需求"), "opened": _l("新会话"), "county_code": _l("县"),
    "role": _l("角色"), "organization_id": _l("机构"), "region": _l("地区"),
    "from_fen": _l("审批额度"), "due_date": _l("付款期限"), "sessions_ended": _l("结束的登录"),
    "api_tokens_revoked": _l("吊销的接口令牌"), "target_fen": _l("采购目标"),
    "enterprise_id": _l("企业"), "supplier_ids": _l("合作社"), "contact_name": _l("联系人"),
    "address": _l("地址"), "phone": _l("电话"), "recipient": _l("收货人"),
    "project_kind": _l("项目类型"), "season": _l("季节"), "late": _l("逾期填报"),
    "exception_status": _l("例外状态"), "representative_unit_id": _l("代表单位"),
}

# Keys kept for machines (payment-provider ids, digests, internal row ids): not shown to people.
HIDDEN_FIELDS = {"checkout_id", "payment_intent", "stripe_refund_id", "sha256", "file_sha256",
                 "message_id", "before", "after", "from", "to", "to_fen", "export_id"}

# Keys whose values are money in fen, or yuan strings ("1234.50").
FEN_FIELDS = {"price_fen", "total_fen", "checkout_total_fen", "reserved_fen", "refund_due_fen",
              "amount_fen", "due_fen", "from_fen", "to_fen", "target_fen"}
YUAN_FIELDS = {"food_budget", "reserved"}
RATIO_FIELDS = {"ratio", "counted_ratio", "min_ratio"}
REGION_FIELDS = {"origin_region_code", "region_code", "region_prefix", "parent_code",
                 "county_code", "eligible_origin_prefixes"}
# Detail keys that name another object: key → its object type.
REFERENCE_FIELDS = {"product_id": "products", "order_id": "orders", "unit_id": "organizations",
                    "supplier_id": "organizations", "organization_id": "organizations",
                    "enterprise_id": "organizations", "category_id": "categories",
                    "village_id": "villages", "need_id": "village_needs",
                    "representative_unit_id": "organizations"}

PRODUCT_STATUS_LABELS = {"active": _l("在售"), "paused": _l("暂停销售"), "archived": _l("已下架"),
                         "taken_down": _l("被平台下架")}
CERTIFICATION_STATUS_LABELS = {"pending": _l("待审核"), "approved": _l("已认证"),
                               "rejected": _l("已驳回"), "suspended": _l("已暂停")}
PAYMENT_STATUS_LABELS = {"pending": _l("待支付"), "processing": _l("处理中"),
                         "succeeded": _l("已到账"), "canceled": _l("已取消"),
                         "requires_payment_method": _l("未完成"), "recorded": _l("待确认"),
                         "confirmed": _l("已确认"), "rejected": _l("已退回")}

# Stored values by object type (the "from → to" of a status; a mapping or a function) and by
# field.
STATUS_BY_OBJECT = {"organizations": ORG_STATUS_LABELS, "orders": order_status_label,
                    "products": PRODUCT_STATUS_LABELS, "payments": PAYMENT_STATUS_LABELS,
                    "supplier_certifications": CERTIFICATION_STATUS_LABELS}
VALUE_LABELS = {"role": ROLE_LABELS, "kind": {**KIND_LABELS, **NEED_KIND_LABELS},
                "project_kind": PROJECT_LABELS, "canteen_status": CANTEEN_LABELS,
                "exception_status": EXCEPTION_LABELS,
                "format": {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF"},
                "outcome": {"unaltered": _l("与平台记录一致"), "altered": _l("已被改动"),
                            "unknown": _l("未找到"), "not_ours": _l("非本平台文件"),
                            "found": _l("找到")}}
