"""The catalog (catalog.py, suppliers.py, bulk_listing.py): products, the category tree,
reviews, suppliers' certifications for origin counties, and bulk listing files."""
from marketplace.api.contract.shapes import (ID, MONEY, MONEY_OUT, NULLABLE_ID, PAGE_PARAMS,
                                             REGION_CODE, TIME, enum, files, list_of, obj,
                                             operation, page_of, path_param, query_param, ref)
from marketplace.catalog.models import CERTIFICATION_STATUSES, LABELS
from marketplace.catalog.services.products import MAX_MIN_ORDER_QTY, MAX_STOCK
from marketplace.catalog.services.availability import REASONS as UNAVAILABLE_REASONS

PRODUCT_CATEGORY = {
    "oneOf": [{**ID, "description": "A second-level category's id."},
              {"type": "string", "minLength": 1, "maxLength": 100,
               "description": "A second-level category's name, where exactly one has it."}],
    "description": "A second-level category (GET /categories lists them); a top-level, "
                   "unknown or ambiguous one → 422 with `fields.category`, the message naming "
                   "the leaves to choose from."}
NAME = {"type": "string", "minLength": 1, "maxLength": 200}
UNIT = {"type": "string", "minLength": 1, "maxLength": 20}
STOCK = {"type": "integer", "minimum": 0, "maximum": MAX_STOCK}
DESCRIPTION = {"type": "string", "maxLength": 5000}
# What a listing may say beyond its name, price and stock (each optional, as on the page).
PRODUCT_DETAILS = {
    "spec": {"type": "string", "maxLength": 60, "example": "500克/袋",
             "description": "The size of one unit (规格)."},
    "min_order_qty": {"type": "integer", "minimum": 1, "maximum": MAX_MIN_ORDER_QTY,
                      "default": 1, "description": "The fewest units one order may take."},
    "shelf_life": {"type": "string", "maxLength": 60},
    "storage": {"type": "string", "maxLength": 120},
    "labels": {"type": "array", "items": enum(LABELS), "uniqueItems": True,
               "description": "Green food, organic, geographical indication."},
}

FILE = obj({"filename": {"type": "string", "minLength": 1, "maxLength": 200},
             "content": {"type": "string", "contentEncoding": "base64"}},
            ("filename", "content"), description="A file, base64-encoded.")
BULK_PROBLEM = obj({"row": {"type": "integer"}, "column": {"type": "string",
                                                          "description": "Its Chinese header."},
                    "reason": {"type": "string"}}, ("row", "column", "reason"))
BULK_FILE = ("The template's first sheet: a header row (商品编码, 名称, 品类, 产地, 规格, 单位, "
             "价格（元）, 库存, 起订量, 标签, 保质期, 储存方式, 描述), a hint row, then one product "
             "per row; 商品编码 is the supplier's own code, the key of updates and photos. At "
             "most 500 rows and the upload size limit.")

SCHEMAS = {
    "Product": obj({
        "id": ID, "name": {"type": "string"}, "category": {"type": ["string", "integer", "null"]},
        "unit": {"type": "string"}, "price": MONEY_OUT, "stock": {"type": "integer"},
        "origin_region_code": REGION_CODE, "description": {"type": ["string", "null"]},
        "supplier_id": ID, "active": {"type": "boolean"},
        "on_sale": {"type": "boolean", "description": "An active listing of an active supplier "
                                                      "certified for the origin."},
        "unavailable_reason": {"type": ["string", "null"],
                               "enum": [None, *UNAVAILABLE_REASONS]}},
        ("id", "name", "unit", "price", "stock", "origin_region_code")),
    "ProductInput": obj({
        "name": NAME, "category": PRODUCT_CATEGORY, "unit": {**UNIT, "example": "斤"},
        "price": MONEY, "stock": STOCK,
        "origin_region_code": {**REGION_CODE, "description": "A county the supplier is "
                                                             "certified for (else 422)."},
        "description": DESCRIPTION, **PRODUCT_DETAILS},
        ("name", "category", "unit", "price", "stock", "origin_region_code"),
        example={"name": "林芝松茸", "category": "菌菇", "unit": "斤", "price": "128.00",
                 "stock": 500, "origin_region_code": "540402", "description": "当季鲜松茸"}),
    "ProductPatch": obj({
        "name": NAME, "category": PRODUCT_CATEGORY, "unit": UNIT, "price": MONEY,
        "stock": STOCK, "origin_region_code": REGION_CODE, "description": DESCRIPTION,
        **PRODUCT_DETAILS, "active": {"type": "boolean"}}, example={"price": "120.00", "stock": 450}),
    "Category": obj({
        "id": ID, "name": {"type": "string"}, "name_en": {"type": ["string", "null"]},
        "parent_id": {**NULLABLE_ID, "description": "null for a top-level category."},
        "sort_order": {"type": "integer"}}, ("id", "name", "name_en", "parent_id")),
    "CategoryInput": obj({
        "name": {"type": "string", "minLength": 1, "maxLength": 60},
        "parent_id": {**ID, "description": "A top-level category; left out: a new top-level "
                                           "category."},
        "name_en": {"type": "string", "maxLength": 80},
        "sort_order": {"type": "integer", "minimum": -1000, "maximum": 1000, "default": 0}},
        ("name",), example={"name": "松茸", "parent_id": 1, "name_en": "Matsutake"}),
    "ReviewInput": obj({"rating": {"type": "integer", "minimum": 1, "maximum": 5},
                        "comment": {"type": "string", "maxLength": 1000}}, ("rating",),
                       example={"rating": 5, "comment": "松茸新鲜，配送及时"}),
    "Review": obj({"id": ID, "product_id": ID, "organization_id": ID, "user_id": ID,
                   "rating": {"type": "integer"}, "comment": {"type": "string"},
                   "created_at": TIME}, ("id", "product_id", "rating")),
    "CertificationInput": obj({"origin_region_code": REGION_CODE}, ("origin_region_code",),
                              example={"origin_region_code": "540402"}),
    "Certification": obj({"id": ID, "supplier_id": ID, "origin_region_code": REGION_CODE},
                         ("origin_region_code",)),
    "SupplierCertification": obj({
        "id": ID, "supplier_id": ID, "origin_region_code": REGION_CODE,
        "origin_name": {"type": ["string", "null"]}, "status": enum(CERTIFICATION_STATUSES),
        "reason": {"type": ["string", "null"],
                   "description": "Of the last rejection or suspension."},
        "applied_at": TIME, "decided_at": TIME,
        "events": {"type": "array", "items": obj({
            "at": TIME, "from_status": {"type": ["string", "null"]},
            "to_status": {"type": "string"}, "note": {"type": ["string", "null"]}})}},
        ("id", "origin_region_code", "status")),
    "CertificationList": list_of(ref("SupplierCertification")),
    "CertificationApplicationInput": obj({
        "region_codes": {"type": "array", "minItems": 1, "maxItems": 20, "items": REGION_CODE,
                         "description": "The origin counties to be certified for."},
        "documents": {"type": "array", "minItems": 1, "maxItems": 5, "items": obj({
            "filename": {"type": "string", "minLength": 1, "maxLength": 200},
            "content": {"type": "string", "contentEncoding": "base64",
                        "description": "The file, base64-encoded: a PDF or an image."}},
            ("filename", "content")),
            "description": "Business licence and certificates (PDF or images)."}},
        ("region_codes", "documents"),
        example={"region_codes": ["540402"],
                 "documents": [{"filename": "营业执照.pdf", "content": "JVBERi0xLjQK..."}]}),
    "ProductPage": page_of(ref("Product")),
    "BulkFileInput": obj({"file": FILE}, ("file",), example={
        "file": {"filename": "products.xlsx", "content": "UEsDBBQABgAIAAAAIQ..."}}),
    "BulkReport": obj({
        "imported": {"type": "boolean", "description": "false for a dry run."},
        "counts": obj({name: {"type": "integer"} for name in ("new", "update", "same", "bad")},
                      ("new", "update", "same", "bad")),
        "rows": {"type": "array", "items": obj({
            "row": {"type": "integer", "description": "The Excel row number."},
            "code": {"type": "string"}, "name": {"type": "string"},
            "action": {"type": ["string", "null"], "enum": ["new", "update", "same", None],
                       "description": "null for a row with problems."},
            "changed_fields": {"type": "array", "items": {"type": "string"}},
            "product_id": NULLABLE_ID})},
        "problems": {"type": "array", "items": BULK_PROBLEM}},
        ("imported", "counts", "rows", "problems")),
    "BulkPhotosInput": obj({"photos": {"type": "array", "minItems": 1, "maxItems": 100,
                                       "items": FILE}}, ("photos",), example={
        "photos": [{"filename": "MX-001.jpg", "content": "/9j/4AAQSkZJRg..."}]}),
    "BulkPhotoResults": list_of(obj({
        "filename": {"type": "string"}, "product_id": NULLABLE_ID,
        "problem": {"type": ["string", "null"], "description": "Why this file was skipped."}},
        ("filename", "product_id", "problem"))),
    "CategoryTree": list_of(ref("Category"), description=(
        "The whole two-level tree: each top-level category followed by its second-level "
        "categories, in display order.")),
}

SUPPLIER = [path_param("organization_id")]
PRODUCT = [path_param("product_id")]

OPERATIONS = [
    ("/suppliers/{organization_id}/certifications", "post", operation(
        "certifications", "Certify a supplier for an origin county", module="catalog",
        roles=("admin",), params=SUPPLIER, body=ref("CertificationInput"), ok=201,
        answer=ref("Certification"), errors=(409,),
        description="The supplier may then list products from that county.")),
    ("/suppliers/{organization_id}/certifications", "get", operation(
        "certifications", "A supplier's certifications and their status", module="suppliers",
        roles=("supplier_staff", "admin"), params=SUPPLIER, answer=ref("CertificationList"),
        description="That supplier's staff, or an admin; newest application first, each with "
                    "its history.")),
    ("/suppliers/{organization_id}/certification-applications", "post", operation(
        "certification_applications", "Apply to be certified for origin counties",
        module="suppliers", roles=("supplier_staff",), params=SUPPLIER,
        body=ref("CertificationApplicationInput"), ok=201, answer=ref("CertificationList"),
        errors=(409,),
        description="That supplier's staff, with documents; each county waits (`pending`) for "
                    "the admin's decision. Already pending or approved → 409.")),
    ("/categories", "get", operation(
        "categories", "The category tree", module="catalog", answer=ref("CategoryTree"),
        description="Every category, top-level and second-level. A new database already holds "
                    "the platform's standard tree.")),
    ("/categories", "post", operation(
        "categories", "Add a category", module="catalog", roles=("admin",),
        body=ref("CategoryInput"), ok=201, answer=ref("Category"), errors=(409,),
        description="Under a top-level `parent_id`, or a new top-level category without one; "
                    "the same name under the same parent → 409.")),
    ("/products", "post", operation(
        "products", "List a new product", module="catalog", roles=("supplier_staff",),
        body=ref("ProductInput"), ok=201, answer=ref("Product"),
        description="An origin the supplier is not certified for → 422.")),
    ("/products", "get", operation(
        "products", "Search products", module="catalog",
        params=[query_param("q", description="Words with or without spaces (林芝松茸, 西藏 "
                                             "牦牛肉), pinyin or its initials (songrong, "
                                             "sr), sizes that only rank (250g); every "
                                             "word in the name, category, origin, labels "
                                             "or supplier, the name's matches first."),
                query_param("region", description="A region code or prefix of the origin."),
                query_param("category", description="A category's id or name; a top-level "
                                                     "one includes its second-level ones."),
                query_param("supplier_id", {"type": "integer", "minimum": 1}),
                *PAGE_PARAMS],
        answer=ref("ProductPage"))),
    ("/products/{product_id}", "get", operation(
        "product", "Read a product", module="catalog", params=PRODUCT, answer=ref("Product"))),
    ("/products/{product_id}", "patch", operation(
        "product", "Edit a product (its supplier)", module="catalog",
        roles=("supplier_staff",), params=PRODUCT, body=ref("ProductPatch"),
        answer=ref("Product"), description="`\"active\": false` takes it off sale.")),
    ("/supplier/products/template.xlsx", "get", operation(
        "supplier_products_template", "The bulk listing template", module="bulk_listing",
        roles=("supplier_staff",), media=files("xlsx"),
        description="With the sheet of the categories, origin counties and labels a cell may "
                    "name. " + BULK_FILE)),
    ("/supplier/products/export.xlsx", "get", operation(
        "supplier_products_export", "The supplier's products in the bulk template",
        module="bulk_listing", roles=("supplier_staff",), media=files("xlsx"),
        description="Every listing of the caller's supplier but the archived; uploaded "
                    "unchanged it changes nothing.")),
    ("/supplier/products/bulk-checks", "post", operation(
        "supplier_products_bulk_checks", "Dry run of a bulk listing file",
        module="bulk_listing", roles=("supplier_staff",), body=ref("BulkFileInput"),
        answer=ref("BulkReport"),
        description="Changes nothing: each row's action (new, update, same) or its problems "
                    "by row and column, in the caller's language. A file that is not the "
                    "template, empty or too long → 422 on `file`. " + BULK_FILE)),
    ("/supplier/products/bulk-imports", "post", operation(
        "supplier_products_bulk_imports", "Import a bulk listing file",
        module="bulk_listing", roles=("supplier_staff",), body=ref("BulkFileInput"), ok=201,
        answer=ref("BulkReport"),
        description="All rows in one transaction, or none: any bad row → 422 with "
                    "`fields.file` = `bad_rows` and `error.problems` (row, column, reason) "
                    "of every row. New codes are listed, known codes update their product, "
                    "unchanged rows are left alone.")),
    ("/supplier/products/photos", "post", operation(
        "supplier_products_photos", "Add photos by product code", module="bulk_listing",
        roles=("supplier_staff",), body=ref("BulkPhotosInput"),
        answer=ref("BulkPhotoResults"),
        description="Each file named by a code of the caller's products (MX-001.jpg, "
                    "MX-001_2.jpg), or a zip of such files; re-encoded like every product "
                    "photo. A file that fails is skipped with its reason; the others are "
                    "kept.")),
    ("/products/{product_id}/reviews", "post", operation(
        "product_reviews", "Review a product", module="catalog",
        roles=("purchaser", "unit_manager"), params=PRODUCT,
        body=ref("ReviewInput"), ok=201, answer=ref("Review"), errors=(409,),
        description="A buyer whose organisation accepted a delivery of it (else 403); one "
                    "review per organisation: a second → 409.")),
]
