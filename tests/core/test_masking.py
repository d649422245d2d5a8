from yiyun.core.masking import mask_id_number, mask_name, mask_name_public, mask_phone


def test_id_number_keeps_region_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_phone_keeps_prefix_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_name_keeps_surname():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"


def test_empty_values():
    assert mask_id_number("") == mask_phone(None) == mask_name("") == ""


def test_public_name_keeps_first_and_last_character():
    assert mask_name_public("王小明") == "王*明"
    assert mask_name_public("张三") == "张*"
    assert mask_name_public("欧阳娜娜") == "欧**娜"
    assert mask_name_public("") == ""
