"""Check digits of local-government codes and corporate numbers."""

import pytest
from django.core.exceptions import ValidationError

from renkei.lib.validators import validate_phone
from renkei.regions.validators import (
    corporate_number_check_digit,
    is_valid_corporate_number,
    is_valid_lg_code,
    lg_code_check_digit,
    validate_corporate_number,
    validate_lg_code,
)


@pytest.mark.parametrize("code", ["010006", "130001", "011002", "152021", "402036", "470007"])
def test_real_local_government_codes_pass(code):
    assert is_valid_lg_code(code)
    assert lg_code_check_digit(code[:5]) == int(code[5])


@pytest.mark.parametrize("code", ["010007", "13000", "1300011", "13000a", "１３０００１", "", None])
def test_wrong_local_government_codes_fail_with_a_message(code):
    assert not is_valid_lg_code(code)
    with pytest.raises(ValidationError, match="地方公共団体コード"):
        validate_lg_code(code)


@pytest.mark.parametrize(
    "number",
    [
        "7000012050002",  # 国税庁
        "2000012010019",  # 内閣府
        "4000012090001",  # 法務省
    ],
)
def test_real_corporate_numbers_pass(number):
    assert is_valid_corporate_number(number)
    assert corporate_number_check_digit(number[1:]) == int(number[0])


@pytest.mark.parametrize(
    "number", ["8000012050002", "700001205000", "70000120500021", "abcdefghijklm"]
)
def test_wrong_corporate_numbers_fail_with_a_message(number):
    with pytest.raises(ValidationError, match="法人番号"):
        validate_corporate_number(number)


@pytest.mark.parametrize("phone", ["03-6910-2049", "03-5253-4111", "0120-123-456", "0312345678"])
def test_japanese_phone_numbers_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["6910-2049", "03-6910-2049 (内線)", "+81 3 6910 2049", "abc"])
def test_malformed_phone_numbers_fail(phone):
    with pytest.raises(ValidationError, match="電話番号"):
        validate_phone(phone)
