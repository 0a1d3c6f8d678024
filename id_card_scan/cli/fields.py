"""Which fields ``extract`` asks for, and with which options: from ``--field``,
``--fields-json`` (the API's ``info`` object, or a whole ``config``) or the defaults."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from id_card_scan.cli.errors import UsageError
from id_card_scan.extraction import ExtractionMode, ExtractionOptions

# The fields printed on every card kind, described as the card labels them.
DEFAULT_FIELDS: dict[str, str] = {
    "id_number": "Số căn cước",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "sex": "Giới tính",
    "nationality": "Quốc tịch",
    "place_of_origin": "Quê quán",
    "place_of_residence": "Nơi thường trú",
    "date_of_expiry": "Có giá trị đến",
}

# The API's limits (app/api/id_card_scan/parsing.py), checked here so that a remote run
# fails before the first upload, and an in-process run refuses what the service would.
MAX_FIELDS = 50
MAX_KEY_CHARS = 64
MAX_DESCRIPTION_CHARS = 500
MAX_LLM_TIMEOUT_S = 600.0
MAX_BATCH_SIZE = 32
_CONFIG_KEYS = frozenset(
    {"info", "mode", "parallel", "batch_size", "llm_timeout", "display_text_box"}
)


@dataclass(frozen=True)
class ExtractRequest:
    options: ExtractionOptions
    display_text_box: bool

    def config(self) -> dict[str, Any]:
        """The ``config`` form field that asks a server for exactly these options."""
        return {
            "info": self.options.fields,
            "mode": self.options.mode,
            "parallel": self.options.parallel,
            "batch_size": self.options.batch_size,
            "llm_timeout": self.options.llm_timeout,
            "display_text_box": self.display_text_box,
        }


def field_argument(raw: str) -> tuple[str, str]:
    """argparse ``type`` of ``--field KEY=DESCRIPTION``: a bad one is a usage error."""
    key, separator, description = raw.partition("=")
    key, description = key.strip(), description.strip()
    if not separator or not key or not description:
        raise argparse.ArgumentTypeError(f"expected KEY=DESCRIPTION, got {raw!r}")
    return key, description


def timeout_argument(raw: str) -> float:
    """argparse ``type`` of ``--llm-timeout``: seconds, as the API accepts them."""
    try:
        seconds = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not 0 < seconds <= MAX_LLM_TIMEOUT_S:
        raise argparse.ArgumentTypeError(f"must be over 0 and at most {MAX_LLM_TIMEOUT_S:g}")
    return seconds


def build_request(
    fields: list[tuple[str, str]] | None,
    fields_json: str | None,
    *,
    mode: ExtractionMode | None,
    llm_timeout: float | None,
    display_text_box: bool | None,
) -> ExtractRequest:
    """Options from the command line; a ``--fields-json`` config gives defaults that the
    explicit flags override."""
    config: dict[str, Any] = {}
    if fields_json is not None:
        config = _load_config(fields_json)
        info = config["info"]
    elif fields:
        info = {}
        for key, description in fields:
            if key in info:
                raise UsageError(f"--field {key} is given twice")
            info[key] = description
    else:
        info = dict(DEFAULT_FIELDS)
    _check_info(info)
    options = ExtractionOptions(
        fields=info,
        mode=mode or config.get("mode", "one_call"),
        parallel=config.get("parallel", True),
        batch_size=config.get("batch_size", 3),
        llm_timeout=llm_timeout if llm_timeout is not None else config.get("llm_timeout", 30.0),
    )
    if display_text_box is None:
        display_text_box = config.get("display_text_box", False)
    return ExtractRequest(options, display_text_box)


def _load_config(source: str) -> dict[str, Any]:
    """``source`` is JSON itself when it starts with ``{``, ``-`` for stdin, else a file."""
    if source.lstrip().startswith("{"):
        text, where = source, "--fields-json"
    elif source == "-":
        text, where = sys.stdin.read(), "--fields-json from stdin"
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read --fields-json file {source}: {exc}") from None
        where = f"--fields-json file {source}"
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise UsageError(f"{where} is not valid JSON") from None
    if not isinstance(document, dict):
        raise UsageError(f"{where} must be a JSON object")
    # An API config wraps the fields in "info"; a field list's values are all strings, so
    # an object under "info" can only mean a config.
    if isinstance(document.get("info"), dict):
        return _check_config(document, where)
    return {"info": document}


def _check_config(config: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = sorted(set(config) - _CONFIG_KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown key(s): {', '.join(unknown)}")
    if config.get("mode", "one_call") not in ("one_call", "per_field"):
        raise UsageError(f"{where}: mode must be one_call or per_field")
    for name in ("parallel", "display_text_box"):
        if not isinstance(config.get(name, False), bool):
            raise UsageError(f"{where}: {name} must be true or false")
    batch_size = config.get("batch_size", 3)
    if (
        not isinstance(batch_size, int)
        or isinstance(batch_size, bool)
        or not 1 <= batch_size <= MAX_BATCH_SIZE
    ):
        raise UsageError(f"{where}: batch_size must be an integer from 1 to {MAX_BATCH_SIZE}")
    timeout = config.get("llm_timeout", 30.0)
    if (
        not isinstance(timeout, (int, float))
        or isinstance(timeout, bool)
        or not 0 < timeout <= MAX_LLM_TIMEOUT_S
    ):
        raise UsageError(
            f"{where}: llm_timeout must be a number of seconds up to {MAX_LLM_TIMEOUT_S:g}"
        )
    return {**config, "llm_timeout": float(timeout)}


def _check_info(info: dict[str, Any]) -> None:
    if not 1 <= len(info) <= MAX_FIELDS:
        raise UsageError(f"give 1 to {MAX_FIELDS} fields, not {len(info)}")
    for key, description in info.items():
        if not key.strip() or len(key) > MAX_KEY_CHARS:
            raise UsageError(f"field key {key!r} must be 1-{MAX_KEY_CHARS} characters")
        if not isinstance(description, str):
            raise UsageError(f"field {key}: the description must be a string")
        if len(description) > MAX_DESCRIPTION_CHARS:
            raise UsageError(
                f"field {key}: the description is over {MAX_DESCRIPTION_CHARS} characters"
            )
