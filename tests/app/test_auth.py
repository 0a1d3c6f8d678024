import pytest
import requests

from tests.app.conftest import TOKEN, Server


def _ocr(server: Server, image: bytes, **kwargs: object) -> requests.Response:
    return requests.post(
        server("/id_card_scan/ocr"), files={"image_file": ("card.jpg", image)}, timeout=60, **kwargs
    )


def test_token_as_form_field_or_header_is_accepted(
    secured_server: Server, card_jpeg: bytes
) -> None:
    assert _ocr(secured_server, card_jpeg, data={"hard_token": TOKEN}).status_code == 200
    assert _ocr(secured_server, card_jpeg, headers={"X-API-Token": TOKEN}).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["", "x", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "x" * 4096, "Số căn cước"],
    ids=["empty", "one-char", "prefix", "longer", "case", "huge", "unicode"],
)
def test_wrong_tokens_of_every_length_are_refused(
    secured_server: Server, card_jpeg: bytes, token: str
) -> None:
    response = _ocr(secured_server, card_jpeg, data={"hard_token": token})
    assert response.status_code == 401
    body = response.json()
    assert body == {
        "success": False,
        "message": "Invalid or missing authentication token",
        "error_code": "UNAUTHORIZED",
        "trace_id": response.headers["X-Trace-Id"],
    }


def test_missing_token_is_refused_on_extract_too(secured_server: Server, card_jpeg: bytes) -> None:
    response = requests.post(
        secured_server("/id_card_scan/extract"),
        files={"image_file": ("card.jpg", card_jpeg)},
        data={"config": '{"info": {"id_number": "Số căn cước"}}'},
        timeout=60,
    )
    assert response.status_code == 401
    assert response.json()["error_code"] == "UNAUTHORIZED"


def test_auth_is_off_when_no_token_is_configured(server: Server, card_jpeg: bytes) -> None:
    assert _ocr(server, card_jpeg).status_code == 200
    assert _ocr(server, card_jpeg, data={"hard_token": "anything"}).status_code == 200
