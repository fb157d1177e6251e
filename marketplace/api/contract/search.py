"""Search (search.py): suggestions while typing and the admin's synonyms."""
from marketplace.api.contract.shapes import (TIME, enum, list_of, obj, operation, path_param,
                                             query_param, ref)
from marketplace.catalog.models import SYNONYM_KINDS

KINDS = enum(SYNONYM_KINDS, description=(
    "equal: either word finds the other (土豆 = 马铃薯); broader: `word` also finds `other` "
    "(蘑菇 → 菌菇); related: either also finds the other, ranked after its own matches "
    "(牦牛肉 ~ 牛肉)."))
WORD = {"type": "string", "minLength": 1, "maxLength": 20,
        "description": "One word: Chinese characters, letters or digits."}

SCHEMAS = {
    "Suggestions": obj({"query": {"type": "string"},
                        "suggestions": {"type": "array", "maxItems": 8,
                                        "items": {"type": "string"}}},
                       ("query", "suggestions")),
    "Synonym": obj({"id": {"type": "integer"}, "word": {"type": "string"},
                    "other": {"type": "string"}, "kind": KINDS, "updated_at": TIME},
                   ("id", "word", "other", "kind")),
    "SynonymInput": obj({"word": WORD, "other": WORD, "kind": KINDS},
                        ("word", "other", "kind"), extra=False,
                        example={"word": "土豆", "other": "马铃薯", "kind": "equal"}),
    "SynonymList": list_of(ref("Synonym"), ("items", "total")),
}

OPERATIONS = [
    ("/products/suggestions", "get", operation(
        "product_suggestions", "Suggestions while typing", module="search",
        params=[query_param("q", {"type": "string", "maxLength": 40},
                            description="What is typed: characters, pinyin or initials.")],
        answer=ref("Suggestions"),
        description="Catalog words that begin with what is typed, the most listed first.")),
    ("/search/synonyms", "get", operation(
        "search_synonyms", "The search synonyms", module="search", roles=("admin",),
        answer=ref("SynonymList"))),
    ("/search/synonyms", "post", operation(
        "search_synonyms", "Add a search synonym", module="search", roles=("admin",),
        body=ref("SynonymInput"), ok=201, answer=ref("Synonym"), errors=(409,),
        description="Used by every search at once; the two words already paired (either "
                    "order) → 409.")),
    ("/search/synonyms/{synonym_id}", "delete", operation(
        "search_synonym", "Remove a search synonym", module="search", roles=("admin",),
        params=[path_param("synonym_id")], ok=204)),
]
