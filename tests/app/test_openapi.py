"""The served OpenAPI document describes what the service really answers."""

from collections.abc import Callable

import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from tests.app.conftest import TOKEN, Server
from tests.test_images import bomb_png


@pytest.fixture(scope="module")
def openapi(server: Server) -> OpenAPI:
    response = requests.get(server("/id_card_scan/openapi.json"), timeout=10)
    assert response.status_code == 200
    return OpenAPI.from_dict(response.json())


def _requests(
    server: Server, secured: Server, card: bytes
) -> list[Callable[[], requests.Response]]:
    ocr, extract = server("/id_card_scan/ocr"), server("/id_card_scan/extract")
    info = '{"info": {"id_number": "Số căn cước", "full_name": "Họ và tên"}}'
    return [
        lambda: requests.get(server("/id_card_scan/health"), timeout=10),
        lambda: requests.post(ocr, files={"image_file": ("a.jpg", card)}, timeout=60),
        lambda: requests.post(
            ocr,
            files={"image_file": ("a.jpg", card)},
            data={"display_text_box": "false"},
            timeout=60,
        ),
        lambda: requests.post(
            ocr,
            files=[
                ("image_file", ("a.jpg", card)),
                ("image_file", ("b.png", bomb_png(9000, 9000))),
            ],
            timeout=60,
        ),
        lambda: requests.post(ocr, files={"image_file": ("x.jpg", b"nope")}, timeout=60),
        lambda: requests.post(
            ocr, files={"image_file": ("b.png", bomb_png(9000, 9000))}, timeout=60
        ),
        lambda: requests.post(ocr, data={"display_text_box": "true"}, timeout=60),
        lambda: requests.post(
            ocr, files={"image_file": ("a.jpg", card)}, data={"display_text_box": "?"}, timeout=60
        ),
        lambda: requests.post(
            extract, files={"image_file": ("a.jpg", card)}, data={"config": info}, timeout=60
        ),
        lambda: requests.post(
            extract,
            files={"image_file": ("a.jpg", card)},
            data={"config": info[:-1] + ', "display_text_box": true}'},
            timeout=60,
        ),
        lambda: requests.post(extract, files={"image_file": ("a.jpg", card)}, timeout=60),
        lambda: requests.post(
            extract, files={"image_file": ("a.jpg", card)}, data={"config": "{"}, timeout=60
        ),
        lambda: requests.post(
            secured("/id_card_scan/ocr"),
            files={"image_file": ("a.jpg", card)},
            data={"hard_token": TOKEN + "x"},
            timeout=60,
        ),
        lambda: requests.post(
            secured("/id_card_scan/ocr"),
            files=[("image_file", (f"{i}.jpg", card)) for i in range(4)],
            headers={"X-API-Token": TOKEN},
            timeout=60,
        ),
    ]


def test_every_kind_of_response_matches_the_document(
    openapi: OpenAPI, server: Server, secured_server: Server, card_jpeg: bytes
) -> None:
    seen_statuses = set()
    for send in _requests(server, secured_server, card_jpeg):
        response = send()
        seen_statuses.add(response.status_code)
        assert response.headers["Content-Type"] == "application/json"
        openapi.validate_response(
            RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response)
        )
    assert seen_statuses == {200, 400, 401, 413}


def test_the_document_itself_is_valid(server: Server) -> None:
    document = requests.get(server("/id_card_scan/openapi.json"), timeout=10).json()
    OpenAPI.from_dict(document).check_spec()
    assert set(document["paths"]) >= {
        "/id_card_scan/health",
        "/id_card_scan/ocr",
        "/id_card_scan/extract",
    }
