"""The check of a reason every domain asks for (a rejection, a cancellation, a refund...)."""
import pytest

from marketplace.errors import ValidationError, required_reason


def test_a_reason_is_trimmed_and_cleaned_of_control_characters():
    assert required_reason("  资料不全\x07\n ", "请填写原因。") == "资料不全"


@pytest.mark.parametrize("value", [None, "", "   ", "\x00\x08"])
def test_an_empty_reason_is_refused_with_the_callers_message(value):
    with pytest.raises(ValidationError) as refused:
        required_reason(value, "请填写驳回原因。", field="note")
    assert refused.value.message == "请填写驳回原因。"
    assert refused.value.fields == {"note": "required"}


def test_a_reason_too_long_is_refused_not_cut():
    assert required_reason("因" * 500, "请填写原因。") == "因" * 500
    with pytest.raises(ValidationError) as refused:
        required_reason("因" * 501, "请填写原因。")
    assert refused.value.fields == {"reason": "too_long"} and "500" in refused.value.message
