import pytest

from id_card_scan.extraction.catalogue import CATALOGUE, map_field, map_fields, normalise


def test_normalise_drops_accents_case_punctuation_and_asides() -> None:
    assert normalise("Số căn cước (12 số)") == "so can cuoc"
    assert normalise("Địa chỉ  thường-trú:") == "dia chi thuong tru"


@pytest.mark.parametrize(
    ("key", "description", "expected"),
    [
        # SPEC's own examples.
        ("id_number", "Số căn cước", "id_number"),
        ("id_number", "Số căn cước (12 số)", "id_number"),
        ("full_name", "Tên đầy đủ", "full_name"),
        ("full_name", "Họ và tên", "full_name"),
        ("date_of_birth", "Ngày sinh", "date_of_birth"),
        ("address", "Địa chỉ", "place_of_residence"),
        ("address", "Địa chỉ thường trú", "place_of_residence"),
        # Free keys: the description decides, accents or not.
        ("so_cccd", "so can cuoc cong dan", "id_number"),
        ("x1", "Ngày, tháng, năm hết hạn", "date_of_expiry"),
        ("x2", "Số CMND cũ của công dân", "old_id_number"),
        ("x3", "Nơi đăng ký khai sinh", "place_of_birth_registration"),
        ("x4", "Giới tính (Nam/Nữ)", "sex"),
        ("ethnicity", "", "ethnicity"),
        ("dob", "", "date_of_birth"),
        # Not on a card: the LLM's.
        ("phone", "Số điện thoại", None),
        ("email", "Thư điện tử", None),
        ("blood_type", "Nhóm máu", None),
        ("email", "Địa chỉ email", None),
        ("company", "Tên công ty", None),
    ],
)
def test_caller_fields_map_to_the_catalogue(
    key: str, description: str, expected: str | None
) -> None:
    assert map_field(key, description) == expected


def test_every_catalogue_field_maps_to_itself_by_key_and_by_name() -> None:
    for field in CATALOGUE:
        assert map_field(field.key, "") == field.key
        assert map_field("anything", field.name_vi) == field.key


def test_map_fields_keeps_the_callers_keys() -> None:
    assert map_fields({"a": "Quốc tịch", "b": "Sở thích"}) == {"a": "nationality", "b": None}
