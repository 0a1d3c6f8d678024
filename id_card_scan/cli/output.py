"""Writing records as one JSON document, JSON lines or CSV, to stdout or a file."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any, Protocol, TextIO

Record = dict[str, Any]

FORMATS = ("json", "jsonl", "csv")


class Writer(Protocol):
    def write(self, record: Record) -> None: ...

    def finish(self, processed_count: int, error_count: int) -> None: ...


class JsonWriter:
    """The API's ``data`` object: it needs the counts, so it is written at the end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.results: list[Record] = []

    def write(self, record: Record) -> None:
        self.results.append(record)

    def finish(self, processed_count: int, error_count: int) -> None:
        document = {
            "results": self.results,
            "processed_count": processed_count,
            "error_count": error_count,
        }
        json.dump(document, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
        self.stream.flush()


class JsonlWriter:
    """One record per line as soon as it is read, so a consumer can follow a long batch."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, record: Record) -> None:
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.stream.flush()

    def finish(self, processed_count: int, error_count: int) -> None:
        return None


class OcrCsvWriter:
    """One row per line. ``error_code`` is added so that a failed image shows in the
    table; an image with no line (or a failed one) gets one row with line_index empty."""

    HEADER = ("file", "line_index", "text", "confidence", "box", "error_code")

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.csv = csv.writer(stream, lineterminator="\n")
        self.header_written = False

    def _header(self) -> None:
        # Written with the first row: a run that stops before any image (server down)
        # leaves its output empty rather than a header that looks like "no lines".
        if not self.header_written:
            self.csv.writerow(self.HEADER)
            self.header_written = True

    def write(self, record: Record) -> None:
        self._header()
        name = record["filename"]
        if "error_code" in record:
            rows = [(name, "", "", "", "", record["error_code"])]
        elif "ocr_data" in record:
            rows = [
                (name, index, line["text"], line["confidence"], _box(line["box"]), "")
                for index, line in enumerate(record["ocr_data"])
            ]
        else:  # --text-only: the API gives texts without confidence or box
            rows = [
                (name, index, text, "", "", "") for index, text in enumerate(record["text_lines"])
            ]
        self.csv.writerows(rows or [(name, "", "", "", "", "")])
        self.stream.flush()

    def finish(self, processed_count: int, error_count: int) -> None:
        return None


class ExtractCsvWriter:
    """One row per image: the file, one column per requested field, ``error_code``."""

    def __init__(self, stream: TextIO, field_keys: Sequence[str]) -> None:
        self.stream = stream
        self.field_keys = list(field_keys)
        self.csv = csv.writer(stream, lineterminator="\n")
        self.header_written = False

    def _header(self) -> None:
        # With the first row, as OcrCsvWriter does.
        if not self.header_written:
            self.csv.writerow(["file", *self.field_keys, "error_code"])
            self.header_written = True

    def write(self, record: Record) -> None:
        self._header()
        if "error_code" in record:
            row = [record["filename"], *([""] * len(self.field_keys)), record["error_code"]]
        else:
            values = record["extracted_fields"]
            # A field that was not read (null) is an empty cell.
            cells = ["" if values.get(key) is None else values[key] for key in self.field_keys]
            row = [record["filename"], *cells, ""]
        self.csv.writerow(row)
        self.stream.flush()

    def finish(self, processed_count: int, error_count: int) -> None:
        return None


def _box(box: list[list[int]]) -> str:
    return " ".join(str(coordinate) for point in box for coordinate in point)


def make_writer(
    output_format: str, stream: TextIO, *, field_keys: Sequence[str] | None = None
) -> Writer:
    if output_format == "json":
        return JsonWriter(stream)
    if output_format == "jsonl":
        return JsonlWriter(stream)
    if field_keys is None:
        return OcrCsvWriter(stream)
    return ExtractCsvWriter(stream, field_keys)
