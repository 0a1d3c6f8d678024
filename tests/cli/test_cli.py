"""The id-card-scan command on generated cards: in-process, against a real server, and as
the installed entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from id_card_scan.cli import main
from id_card_scan.cli.backends import LocalBackend
from id_card_scan.cli.fields import DEFAULT_FIELDS
from id_card_scan.extraction import NoExtractor
from id_card_scan.ocr import OcrPredictor
from id_card_scan.ocr.types import Recognition
from id_card_scan.pipeline import Pipeline
from id_card_scan.synth import SyntheticCard, capture, render_card
from tests.app.conftest import TOKEN, Server

HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
ENTRY_POINT = Path(sys.executable).parent / "id-card-scan"


@dataclass
class Cards:
    """A folder of cards: two good ones, a bad file, a text file, and a subfolder."""

    folder: Path
    chip: Path  # a_chip.jpg
    old: Path  # b_2016.png
    bad: Path  # c_bad.jpg
    nested: Path  # sub/d_cmnd.jpg
    generated: list[SyntheticCard]

    def card_texts(self) -> list[str]:
        """What must never reach stderr: every field value of every card."""
        return [value for card in self.generated for value in card.fields.values() if value]


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> Cards:
    folder = tmp_path_factory.mktemp("cards")
    chip = render_card(seed=11, kind="chip_cccd_front")
    chip.image.save(folder / "a_chip.jpg", quality=92)
    old = capture(render_card(seed=4, kind="cccd_2016_front"), seed=4, variant="camera")
    old.image.save(folder / "b_2016.png")
    (folder / "c_bad.jpg").write_bytes(b"this is not an image")
    (folder / "notes.txt").write_text("not an image, and not named one", encoding="utf-8")
    (folder / "sub").mkdir()
    nested = render_card(seed=12, kind="cmnd_9_front")
    nested.image.save(folder / "sub" / "d_cmnd.jpg", quality=92)
    return Cards(
        folder=folder,
        chip=folder / "a_chip.jpg",
        old=folder / "b_2016.png",
        bad=folder / "c_bad.jpg",
        nested=folder / "sub" / "d_cmnd.jpg",
        generated=[chip, old, nested],
    )


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)


Cli = Callable[..., Run]


@pytest.fixture
def cli(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cli]:
    """``cli(*argv)``: runs ``main`` in this process on the session's pipeline."""
    monkeypatch.delenv("ID_CARD_SCAN_TOKEN", raising=False)

    def run(*argv: str | Path) -> Run:
        code = main([str(arg) for arg in argv], pipeline=pipeline)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    yield run


def _assert_private(run: Run, cards: Cards) -> None:
    for text in [HEADER, *cards.card_texts()]:
        assert text not in run.err
    assert "Traceback" not in run.err


# --- OCR, in-process ---------------------------------------------------------------


def test_ocr_one_file_gives_the_api_record(cli: Cli, cards: Cards) -> None:
    run = cli("ocr", cards.chip)
    assert run.code == 0, run.err
    document = run.json()
    assert document["processed_count"] == 1 and document["error_count"] == 0
    [record] = document["results"]
    assert list(record) == ["filename", "ocr_data", "processing_time"]
    assert record["filename"] == str(cards.chip)
    assert set(record["processing_time"]) == {"detection_ms", "recognition_ms"}
    texts = [line["text"] for line in record["ocr_data"]]
    assert texts[0] == HEADER
    assert cards.generated[0].fields["id_number"] in " ".join(texts)
    for line in record["ocr_data"]:
        assert set(line) == {"text", "confidence", "box"}
        assert len(line["box"]) == 4
        assert all(len(point) == 2 and all(type(v) is int for v in point) for point in line["box"])
    assert run.err == ""


def test_text_only_gives_text_lines(cli: Cli, cards: Cards) -> None:
    run = cli("ocr", "--text-only", cards.chip)
    [record] = run.json()["results"]
    assert list(record) == ["filename", "text_lines", "processing_time"]
    assert record["text_lines"][0] == HEADER


def test_folder_batch_with_a_bad_file_goes_on_and_exits_1(cli: Cli, cards: Cards) -> None:
    run = cli("ocr", cards.folder)
    assert run.code == 1
    document = run.json()
    # Sorted image files only: no notes.txt, no subfolder without --recursive.
    names = [record["filename"] for record in document["results"]]
    assert names == [str(cards.chip), str(cards.old), str(cards.bad)]
    assert document["processed_count"] == 2 and document["error_count"] == 1
    chip, old, bad = document["results"]
    assert chip["ocr_data"][0]["text"] == HEADER
    assert old["ocr_data"][0]["text"] == HEADER
    assert bad == {
        "filename": str(cards.bad),
        "error_code": "INVALID_IMAGE",
        "message": "the file is not a readable image (corrupt or truncated)",
    }
    # stderr names the file and the code, nothing of the cards.
    assert run.err.strip() == f"id-card-scan: {cards.bad}: INVALID_IMAGE"
    _assert_private(run, cards)


def test_jsonl_streams_one_record_per_line_and_recursive_descends(cli: Cli, cards: Cards) -> None:
    run = cli("ocr", "--recursive", "--format", "jsonl", cards.folder)
    assert run.code == 1
    lines = run.out.splitlines()
    records_ = [json.loads(line) for line in lines]
    assert [r["filename"] for r in records_] == [
        str(cards.chip),
        str(cards.old),
        str(cards.bad),
        str(cards.nested),
    ]
    assert records_[2]["error_code"] == "INVALID_IMAGE"
    assert records_[3]["ocr_data"][0]["text"] == HEADER
    # UTF-8 as is, not \\u escapes.
    assert HEADER in run.out


def test_ocr_csv_has_one_row_per_line(cli: Cli, cards: Cards) -> None:
    run = cli("ocr", "--format", "csv", cards.chip, cards.bad)
    assert run.code == 1
    rows = list(csv.DictReader(io.StringIO(run.out)))
    assert list(rows[0]) == ["file", "line_index", "text", "confidence", "box", "error_code"]
    chip_rows = [row for row in rows if row["file"] == str(cards.chip)]
    json_record = cli("ocr", cards.chip).json()["results"][0]
    assert [row["text"] for row in chip_rows] == [line["text"] for line in json_record["ocr_data"]]
    assert [int(row["line_index"]) for row in chip_rows] == list(range(len(chip_rows)))
    first = chip_rows[0]
    assert first["text"] == HEADER and first["error_code"] == ""
    box = [int(v) for v in first["box"].split()]
    assert box == [v for point in json_record["ocr_data"][0]["box"] for v in point]
    assert float(first["confidence"]) == json_record["ocr_data"][0]["confidence"]
    [bad_row] = [row for row in rows if row["file"] == str(cards.bad)]
    assert bad_row["error_code"] == "INVALID_IMAGE" and bad_row["text"] == ""


def test_output_file_gets_the_document_and_stdout_stays_empty(
    cli: Cli, cards: Cards, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    run = cli("ocr", cards.chip, "--output", target)
    assert run.code == 0 and run.out == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["results"][0]["ocr_data"][0]["text"] == HEADER


def test_progress_bar_goes_to_stderr_only(cli: Cli, cards: Cards) -> None:
    run = cli("ocr", "--progress", cards.chip, cards.old)
    assert run.code == 0
    assert "2/2" in run.err
    assert run.json()["processed_count"] == 2
    _assert_private(run, cards)


def test_an_engine_crash_is_processing_error_without_its_message(
    pipeline: Pipeline, cards: Cards, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "NGUYỄN VĂN BÍ MẬT 079094012345"

    class Crashing:
        name = "crashing"

        def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
            raise RuntimeError(f"engine exploded while reading {secret}")

        def close(self) -> None:
            return None

    broken = Pipeline(
        pipeline.settings,
        OcrPredictor(pipeline.predictor.detector, Crashing()),
        pipeline.extractor,
    )
    code = main(["ocr", "--format", "jsonl", str(cards.chip)], pipeline=broken)
    out, err = capsys.readouterr()
    assert code == 1
    record = json.loads(out)
    assert record["error_code"] == "PROCESSING_ERROR"
    assert secret not in out and secret not in err and "Traceback" not in err


def test_a_file_that_cannot_be_read_is_file_unreadable(pipeline: Pipeline, tmp_path: Path) -> None:
    backend = LocalBackend(pipeline, owned=False)
    record = backend.ocr(tmp_path / "gone.jpg", "gone.jpg", display_text_box=True)
    assert record["error_code"] == "FILE_UNREADABLE" and record["filename"] == "gone.jpg"


def test_a_file_over_max_request_mb_is_refused_in_process(pipeline: Pipeline, cards: Cards) -> None:
    small = pipeline.settings.model_copy(update={"MAX_REQUEST_MB": 0.01})
    backend = LocalBackend(Pipeline(small, pipeline.predictor, pipeline.extractor), owned=False)
    record = backend.ocr(cards.chip, "a_chip.jpg", display_text_box=True)
    assert record["error_code"] == "PAYLOAD_TOO_LARGE"


# --- extract, in-process -------------------------------------------------------------


def test_extract_without_an_llm_reads_the_printed_fields_and_exits_0(
    cli: Cli, cards: Cards, pipeline: Pipeline
) -> None:
    assert isinstance(pipeline.extractor, NoExtractor)  # the tests' settings have no LLM
    run = cli("extract", cards.old)  # a 2016 CCCD: no QR code, the rules read the labels
    assert run.code == 0, run.err
    [record] = run.json()["results"]
    assert list(record) == [
        "filename",
        "extracted_fields",
        "field_details",
        "card",
        "processing_time",
        "llm_usage",
    ]
    printed = cards.generated[1].fields
    assert record["extracted_fields"] == {key: printed[key] for key in DEFAULT_FIELDS}
    assert {detail["source"] for detail in record["field_details"].values()} == {"rules"}
    assert record["card"]["type"] == "cccd_2016" and record["card"]["side"] == "front"
    assert record["llm_usage"] == {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0}


def test_extract_fields_and_csv(cli: Cli, cards: Cards) -> None:
    run = cli(
        "extract",
        "--field",
        "id_number=Số căn cước",
        "--field",
        "full_name = Họ và tên",
        "--format",
        "csv",
        cards.chip,
        cards.bad,
    )
    assert run.code == 1
    rows = list(csv.reader(io.StringIO(run.out)))
    chip = cards.generated[0].fields  # read from the chip card's QR code, no LLM needed
    assert rows == [
        ["file", "id_number", "full_name", "error_code"],
        [str(cards.chip), chip["id_number"], chip["full_name"], ""],
        [str(cards.bad), "", "", "INVALID_IMAGE"],
    ]


def test_fields_json_takes_an_info_object_or_a_whole_config(
    cli: Cli, cards: Cards, tmp_path: Path
) -> None:
    inline = cli("extract", "--fields-json", '{"sex": "Giới tính"}', cards.chip)
    assert inline.code == 0
    chip = cards.generated[0].fields
    assert inline.json()["results"][0]["extracted_fields"] == {"sex": chip["sex"]}

    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {"info": {"id_number": "Số căn cước"}, "mode": "per_field", "display_text_box": True},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    from_file = cli("extract", "--fields-json", config, cards.chip)
    assert from_file.code == 0
    [record] = from_file.json()["results"]
    assert record["extracted_fields"] == {"id_number": chip["id_number"]}
    assert record["field_details"]["id_number"]["source"] == "qr"
    assert record["ocr_data"][0]["text"] == HEADER  # display_text_box from the config
    # An explicit flag wins over the config.
    [record] = cli("extract", "--fields-json", config, "--no-boxes", cards.chip).json()["results"]
    assert "ocr_data" not in record


# --- remote ----------------------------------------------------------------------------


def _same_shape(a: Any, b: Any, where: str = "record") -> None:
    """Same keys at every level (values may differ: timings)."""
    assert type(a) is type(b), where
    if isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _same_shape(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_shape(x, y, f"{where}[{index}]")


def test_remote_ocr_gives_the_same_records_as_in_process(
    cli: Cli, cards: Cards, server: Server
) -> None:
    local = cli("ocr", cards.chip, cards.bad)
    remote = cli("ocr", "--url", server.url, cards.chip, cards.bad)
    assert local.code == remote.code == 1
    local_doc, remote_doc = local.json(), remote.json()
    _same_shape(local_doc, remote_doc)
    assert local_doc["processed_count"] == remote_doc["processed_count"] == 1
    [local_chip, local_bad] = local_doc["results"]
    [remote_chip, remote_bad] = remote_doc["results"]
    assert remote_chip["filename"] == str(cards.chip)
    # Texts, confidences and boxes exactly as the API returns them.
    assert remote_chip["ocr_data"] == local_chip["ocr_data"]
    assert remote_chip["ocr_data"][0]["text"] == HEADER
    assert remote_bad == local_bad
    assert remote.err == local.err


def test_remote_extract_gives_the_same_records_as_in_process(
    cli: Cli, cards: Cards, server: Server
) -> None:
    args = ("extract", "--mode", "per_field", "--llm-timeout", "5", "--boxes", cards.chip)
    local, remote = cli(*args), cli(*args, "--url", server.url + "/")
    assert local.code == remote.code == 0
    _same_shape(local.json(), remote.json())
    [local_record] = local.json()["results"]
    [remote_record] = remote.json()["results"]
    for key in ("filename", "extracted_fields", "field_details", "ocr_data", "llm_usage"):
        assert remote_record[key] == local_record[key], key


def test_remote_with_the_token_from_the_environment(
    cli: Cli, cards: Cards, secured_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ID_CARD_SCAN_TOKEN", TOKEN)
    run = cli("ocr", "--url", secured_server.url, "--format", "jsonl", cards.chip)
    assert run.code == 0, run.err
    assert json.loads(run.out)["ocr_data"][0]["text"] == HEADER


def test_remote_with_a_wrong_token_exits_3(cli: Cli, cards: Cards, secured_server: Server) -> None:
    run = cli("ocr", "--url", secured_server.url, "--token", "wrong", cards.chip, cards.old)
    assert run.code == 3
    assert run.out == ""
    assert "401" in run.err and "UNAUTHORIZED" in run.err
    assert len(run.err.strip().splitlines()) == 1  # one message, no traceback
    _assert_private(run, cards)


def test_remote_image_over_the_servers_size_limit_is_a_per_image_error(
    cli: Cli, cards: Cards, secured_server: Server, tmp_path: Path
) -> None:
    big = tmp_path / "big.jpg"
    big.write_bytes(np.random.default_rng(0).bytes(3 * 1024 * 1024))  # over MAX_REQUEST_MB=2
    run = cli("ocr", "--url", secured_server.url, "--token", TOKEN, big, cards.chip)
    assert run.code == 1, run.err
    big_record, chip_record = run.json()["results"]
    assert big_record["error_code"] == "PAYLOAD_TOO_LARGE"
    assert big_record["filename"] == str(big)
    assert chip_record["ocr_data"][0]["text"] == HEADER


def test_remote_unreachable_exits_3_quickly(cli: Cli, cards: Cards) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    run = cli("ocr", "--url", f"http://127.0.0.1:{port}", "--format", "csv", cards.chip)
    assert time.perf_counter() - started < 5
    assert run.code == 3 and run.out == ""  # not even a CSV header
    assert "cannot reach" in run.err and "Traceback" not in run.err


# --- usage errors ----------------------------------------------------------------------


def test_no_input_files_exits_2(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no images here", encoding="utf-8")
    run = cli("ocr", tmp_path)
    assert run.code == 2 and run.out == ""
    assert "no input image files found" in run.err
    missing = cli("ocr", tmp_path / "missing.jpg")
    assert missing.code == 2 and "no such file or folder" in missing.err


@pytest.mark.parametrize(
    "field",
    ["id_number", "=Số căn cước", "id_number=", "  =  "],
    ids=["no-eq", "no-key", "no-desc", "blank"],
)
def test_bad_field_syntax_exits_2(cli: Cli, cards: Cards, field: str) -> None:
    run = cli("extract", "--field", field, cards.chip)
    assert run.code == 2 and run.out == ""
    assert "KEY=DESCRIPTION" in run.err


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "--field", "a=b", "--field", "a=c"],
        ["extract", "--fields-json", "{not json"],
        ["extract", "--fields-json", '{"info": {"a": "b"}, "colour": "red"}'],
        ["extract", "--field", "a=b", "--fields-json", '{"a": "b"}'],
        ["extract", "--llm-timeout", "0"],
        ["ocr", "--url", "ftp://host"],
        ["ocr", "--format", "xml"],
    ],
    ids=["duplicate", "bad-json", "unknown-key", "both", "timeout", "scheme", "format"],
)
def test_other_usage_errors_exit_2(cli: Cli, cards: Cards, argv: list[str]) -> None:
    run = cli(*argv, cards.chip)
    assert run.code == 2 and run.out == ""
    assert "Traceback" not in run.err


# --- the installed command -------------------------------------------------------------


def test_installed_entry_point_runs_in_its_own_process(cards: Cards, tmp_path: Path) -> None:
    assert ENTRY_POINT.exists(), "run: .venv/bin/pip install -e . -c constraints.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "HARD_TOKEN"))}
    # Its own working folder: a developer's .env must not change what it reads.
    done = subprocess.run(
        [str(ENTRY_POINT), "ocr", "--format", "jsonl", str(cards.chip), str(cards.bad)],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    chip, bad = (json.loads(line) for line in done.stdout.decode("utf-8").splitlines())
    assert chip["ocr_data"][0]["text"] == HEADER
    assert bad["error_code"] == "INVALID_IMAGE"
    err = done.stderr.decode("utf-8")
    assert f"{cards.bad}: INVALID_IMAGE" in err
    for text in [HEADER, *cards.card_texts()]:
        assert text not in err

    helped = subprocess.run(
        [sys.executable, "-m", "id_card_scan.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert helped.returncode == 0 and "exit codes:" in helped.stdout
