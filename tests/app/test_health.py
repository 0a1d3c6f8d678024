import requests

from tests.app.conftest import Server


def test_health_answers_spec_body_with_trace_id(server: Server) -> None:
    response = requests.get(server("/id_card_scan/health"), timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["message"] == "OCR API is running"
    assert body["status"] == "healthy"
    assert body["trace_id"] == response.headers["X-Trace-Id"]
    # The default recognizer, named by its model's own meta.json.
    assert body["components"]["ocr"] == {"status": "ready", "recognizer": "trueocr-vi-r01"}
    assert body["components"]["llm"] == {"status": "not_configured"}


def test_health_needs_no_token(secured_server: Server) -> None:
    assert requests.get(secured_server("/id_card_scan/health"), timeout=10).status_code == 200


def test_a_well_formed_caller_trace_id_is_kept_and_others_replaced(server: Server) -> None:
    kept = requests.get(
        server("/id_card_scan/health"), headers={"X-Trace-Id": "caller-1234abcd"}, timeout=10
    )
    assert kept.json()["trace_id"] == "caller-1234abcd" == kept.headers["X-Trace-Id"]
    replaced = requests.get(
        server("/id_card_scan/health"), headers={"X-Trace-Id": "<script>x</script>"}, timeout=10
    )
    assert replaced.json()["trace_id"] != "<script>x</script>"
    assert len(replaced.json()["trace_id"]) == 36


def test_unknown_paths_and_methods_get_the_error_body(server: Server) -> None:
    missing = requests.get(server("/id_card_scan/nothing"), timeout=10)
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "NOT_FOUND"
    wrong_method = requests.get(server("/id_card_scan/ocr"), timeout=10)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert wrong_method.json()["trace_id"] == wrong_method.headers["X-Trace-Id"]
