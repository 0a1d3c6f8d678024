from pathlib import Path

import pytest

from id_card_scan.settings import SettingsError, load_settings


def test_defaults_need_no_configuration() -> None:
    settings = load_settings(env_file=None)
    assert settings.PORT == 8000
    assert settings.DEVICE_GPU == -1
    assert settings.TEXT_REC_CONF_THRESHOLD == 0.7
    assert settings.TEXT_DET_CONF_THRESHOLD == 0.3
    assert settings.LLM_API_URL == "http://localhost:8001/v1/chat/completions"
    assert not settings.auth_enabled
    assert (settings.tessdata_path() / "vie.traineddata").is_file()


def test_env_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("HARD_TOKEN=from-file\nPORT=9001\nDEBUG=True\nTEXT_REC_DICT_PATH=\n")
    monkeypatch.setenv("PORT", "9002")
    settings = load_settings(env_file=env_file)
    assert settings.HARD_TOKEN == "from-file"
    assert settings.PORT == 9002
    assert settings.DEBUG is True
    assert settings.TEXT_REC_DICT_PATH is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("TEXT_REC_CONF_THRESHOLD", "1.5"),
        ("DEVICE_GPU", "-2"),
        ("TEXT_REC_ENGINE", "easyocr"),
        ("TEXT_DET_PDPARAM_MODEL_PATH", "/no/such/model"),
        ("LLM_GPU_MEMORY_UTIL", "0"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings(env_file=None)


def test_settings_error_does_not_echo_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARD_TOKEN", "s3cret-token-value")
    monkeypatch.setenv("PORT", "x")
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None)
    assert "s3cret" not in str(raised.value)
