"""POST /id_card_scan/extract: request handling, and answers with no LLM configured."""

import json
from collections.abc import Callable

import pytest
import requests

from id_card_scan.cards.fuzzy import edit_distance
from id_card_scan.synth import capture, render_card
from tests.app.conftest import Server
from tests.conftest import encode


def _post(server: Server, image: bytes, config: str | None) -> requests.Response:
    data = {} if config is None else {"config": config}
    return requests.post(
        server("/id_card_scan/extract"),
        files={"image_file": ("id_card.jpg", image)},
        data=data,
        timeout=120,
    )


def test_without_an_llm_printed_fields_come_from_the_rules(
    server: Server, make_card: Callable[..., bytes]
) -> None:
    config = {"info": {"id_number": "Số căn cước", "full_name": "Tên đầy đủ"}}
    card = render_card(seed=5, kind="can_cuoc_2024_front")  # its QR code is on the back
    no_qr = make_card(5, "can_cuoc_2024_front")
    response = _post(server, no_qr, json.dumps(config, ensure_ascii=False))
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["message"] == "Extraction completed successfully"
    assert body["trace_id"] == response.headers["X-Trace-Id"]
    assert body["data"]["processed_count"] == 1 and body["data"]["error_count"] == 0
    [result] = body["data"]["results"]
    assert set(result) == {
        "filename",
        "extracted_fields",
        "field_details",
        "card",
        "processing_time",
        "llm_usage",
    }
    assert result["llm_usage"] == {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0}
    assert result["extracted_fields"]["id_number"] == card.fields["id_number"]
    assert result["extracted_fields"]["full_name"]  # as OCR read it (marks may differ)
    for detail in result["field_details"].values():
        assert detail["source"] == "rules" and 0.5 < detail["confidence"] <= 1
    assert result["card"]["type"] == "can_cuoc_2024" and result["card"]["side"] == "front"
    assert set(result["processing_time"]) == {"ocr_ms", "extraction_ms"}
    assert result["processing_time"]["ocr_ms"] > 0


# Every field a caller can name for what each side prints (catalogue descriptions).
_INFO = {
    "id_number": "Số căn cước / Số CMND",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "sex": "Giới tính",
    "nationality": "Quốc tịch",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "place_of_origin": "Quê quán",
    "place_of_residence": "Nơi thường trú",
    "place_of_birth_registration": "Nơi đăng ký khai sinh",
    "date_of_expiry": "Có giá trị đến",
    "date_of_issue": "Ngày cấp",
    "place_of_issue": "Nơi cấp",
    "personal_identification": "Đặc điểm nhận dạng",
}


@pytest.mark.parametrize(
    ("kind", "seed"),
    [
        ("chip_cccd_front", 3),
        ("cccd_2016_front", 3),
        ("can_cuoc_2024_front", 3),
        ("cmnd_9_front", 3),
        ("cmnd_12_front", 5),
        ("cmnd_9_back", 4),
        ("cmnd_12_back", 3),
        ("cccd_2016_back", 3),
        ("chip_cccd_back", 3),
        ("can_cuoc_2024_back", 3),
    ],
)
def test_every_printed_field_of_a_flat_card_without_an_llm(
    server: Server, kind: str, seed: int
) -> None:
    card = render_card(seed=seed, kind=kind)
    info = {key: _INFO[key] for key in card.fields}
    response = _post(server, encode(card.image, "PNG"), json.dumps({"info": info}))
    [result] = response.json()["data"]["results"]
    got = result["extracted_fields"]
    # Every field answered; the reader may miss a mark or a space in one of them.
    assert all(got[key] for key in card.fields), got
    wrong = {key: (got[key], value) for key, value in card.fields.items() if got[key] != value}
    assert len(wrong) <= 1, wrong
    assert all(edit_distance(read, printed) <= 2 for read, printed in wrong.values()), wrong
    card_type, side = kind.rsplit("_", 1)
    assert (result["card"]["type"], result["card"]["side"]) == (card_type, side)
    for key in ("place_of_origin", "place_of_residence", "place_of_birth_registration"):
        if key in card.fields:
            parts = result["field_details"][key]["address_entities"]
            assert parts["province"] and parts["ward"], parts


def test_a_field_the_card_side_does_not_print_says_so(server: Server) -> None:
    card = render_card(seed=4, kind="cmnd_9_front")
    config = {"info": {"gioi_tinh": "Giới tính", "so": "Số CMND"}}
    response = _post(server, encode(card.image, "PNG"), json.dumps(config))
    [result] = response.json()["data"]["results"]
    assert result["extracted_fields"]["gioi_tinh"] is None
    assert result["field_details"]["gioi_tinh"]["problems"][0].startswith("NOT_ON_CARD")
    assert result["extracted_fields"]["so"] == card.fields["id_number"]


def test_display_text_box_in_config_adds_ocr_data(server: Server, card_jpeg: bytes) -> None:
    config = '{"info": {"id_number": "Số căn cước"}, "display_text_box": true}'
    [result] = _post(server, card_jpeg, config).json()["data"]["results"]
    assert result["ocr_data"][0]["text"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert len(result["ocr_data"][0]["box"]) == 4


def test_missing_config_is_missing_config(server: Server, card_jpeg: bytes) -> None:
    for config in (None, "", "   "):
        response = _post(server, card_jpeg, config)
        assert response.status_code == 400
        assert response.json()["error_code"] == "MISSING_CONFIG"


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"parallel": true}', "info is required"),
        ('{"info": {}}', "info"),
        ('{"info": "Số căn cước"}', "info"),
        ('{"info": {"id_number": 12}}', "info.id_number"),
        ('{"info": {"a": "b"}, "parallel": "yes"}', "parallel"),
        ('{"info": {"a": "b"}, "batch_size": 0}', "batch_size"),
        ('{"info": {"a": "b"}, "batch_size": 2.5}', "batch_size"),
        ('{"info": {"a": "b"}, "llm_timeout": -1}', "llm_timeout"),
        ('{"info": {"a": "b"}, "display_text_box": "true"}', "display_text_box"),
        ('{"info": {"a": "b"}, "paralel": true}', "paralel"),
        ('{"info": {"a": "b"}, "mode": "guess"}', "mode"),
        ("[" * 5_000 + "]" * 5_000, "config"),
    ],
    ids=[
        "syntax",
        "array",
        "no-info",
        "empty-info",
        "info-string",
        "description-number",
        "parallel-string",
        "batch-zero",
        "batch-float",
        "timeout-negative",
        "box-string",
        "unknown-key",
        "mode",
        "deeply-nested",
    ],
)
def test_invalid_config_names_the_problem(
    server: Server, card_jpeg: bytes, config: str, says: str
) -> None:
    response = _post(server, card_jpeg, config)
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "INVALID_CONFIG"
    assert says in body["message"]


def test_spec_defaults_are_accepted(server: Server, card_jpeg: bytes) -> None:
    config = {
        "info": {"id_number": "Số căn cước (12 số)"},
        "parallel": False,
        "batch_size": 5,
        "llm_timeout": 30,
        "display_text_box": False,
    }
    assert _post(server, card_jpeg, json.dumps(config)).status_code == 200


def test_oversized_config_is_refused(server: Server, card_jpeg: bytes) -> None:
    config = json.dumps({"info": {f"k{i}": "x" * 400 for i in range(400)}})
    response = _post(server, card_jpeg, config)
    assert response.status_code in (400, 413)
    assert response.json()["error_code"] in ("INVALID_CONFIG", "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize("variant", ["flat", "camera", "phone"])
def test_chip_card_fields_come_from_its_qr_code_without_an_llm(
    server: Server, variant: str
) -> None:
    card = capture(render_card(seed=14, kind="chip_cccd_front"), seed=14, variant=variant)
    info = {
        "so_cccd": "Số căn cước (12 số)",
        "full_name": "Họ và tên",
        "dob": "Ngày sinh",
        "gioi_tinh": "Giới tính",
        "address": "Địa chỉ thường trú",
        "phone": "Số điện thoại",
    }
    response = _post(server, encode(card.image, "JPEG"), json.dumps({"info": info}))
    [result] = response.json()["data"]["results"]
    assert result["extracted_fields"] == {
        "so_cccd": card.fields["id_number"],
        "full_name": card.fields["full_name"],
        "dob": card.fields["date_of_birth"],
        "gioi_tinh": card.fields["sex"],
        "address": card.fields["place_of_residence"],
        "phone": None,  # not on a card: it would be the LLM's
    }
    details = result["field_details"]
    assert {details[key]["source"] for key in info if key not in ("phone", "address")} == {"qr"}
    # The printed address is the answer, its letters checked against the QR's.
    assert details["address"]["source"] in ("qr", "rules+qr")
    assert details["phone"]["problems"][0].startswith("NO_EXTRACTOR")
