"""The deployment files, checked without a Docker engine or a running systemd.

scripts/check_deploy.sh lints them (hadolint, docker-compose config, systemd-analyze
verify, bash -n); the tests below pin down what they must say, and run
deploy/systemd/wait-for-llm.sh against a real local HTTP server.
"""

from __future__ import annotations

import http.server
import os
import re
import shlex
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILES = ("Dockerfile", "Dockerfile.cpu")
UNITS = ("id-card-ocr.service", "id-card-ocr-vllm.service")
WAIT_FOR_LLM = ROOT / "deploy" / "systemd" / "wait-for-llm.sh"


def test_check_deploy_script_passes() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "check_deploy.sh")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check_deploy: all checks passed" in result.stdout


# ---- Dockerfiles ----


def _instructions(name: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = (ROOT / name).read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def _last(name: str, keyword: str) -> str:
    values = [rest for kw, rest in _instructions(name) if kw == keyword]
    assert values, f"{name} has no {keyword}"
    return values[-1]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_dockerfile_healthcheck_targets_the_health_endpoint(name: str) -> None:
    healthcheck = _last(name, "HEALTHCHECK")
    assert "/id_card_scan/health" in healthcheck
    assert "127.0.0.1" in healthcheck
    # No curl in the slim image: the check must not need it.
    assert "curl" not in healthcheck


@pytest.mark.parametrize("name", DOCKERFILES)
def test_dockerfile_starts_run_sh_as_a_non_root_user(name: str) -> None:
    assert _last(name, "CMD") == '["bash", "run.sh"]'
    user = _last(name, "USER")
    assert user.split(":")[0] not in {"root", "0"}
    assert "8000" in _last(name, "EXPOSE").split()
    assert "8001" in _last(name, "EXPOSE").split()


def test_cpu_dockerfile_is_slim_and_pinned_by_constraints() -> None:
    froms = [rest for kw, rest in _instructions("Dockerfile.cpu") if kw == "FROM"]
    assert len(froms) >= 2, "multi-stage build expected"
    text = (ROOT / "Dockerfile.cpu").read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in text
    runs = " ".join(rest for kw, rest in _instructions("Dockerfile.cpu") if kw == "RUN")
    assert "vllm" not in runs.lower()
    assert "-c constraints.txt" in runs
    assert "tesseract-ocr-vie" in runs
    # The service's dependencies only.
    assert "[test" not in runs
    assert "paddle" not in runs


def test_default_dockerfile_is_specs_vllm_image() -> None:
    """`docker build -t id-card-ocr .` (SPEC) builds Dockerfile: vLLM's image plus the API,
    its entrypoint replaced by run.sh, onnxruntime-gpu instead of onnxruntime."""
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^ARG VLLM_IMAGE=vllm/vllm-openai:v\d+\.\d+\.\d+$", text, re.M)
    assert _last("Dockerfile", "FROM") == "${VLLM_IMAGE}"
    assert _last("Dockerfile", "ENTRYPOINT") == "[]"
    runs = " ".join(rest for kw, rest in _instructions("Dockerfile") if kw == "RUN")
    assert "onnxruntime-gpu" in runs
    assert "pip uninstall -y onnxruntime" in runs
    assert "tesseract-ocr-vie" in runs


def _dockerignore_patterns() -> list[tuple[bool, str]]:
    patterns = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            negated = line.startswith("!")
            patterns.append((negated, line.lstrip("!").strip("/")))
    return patterns


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regex: `**` any folders, `*` and `?` within one."""
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            regex, i = regex + ".*", i + 2
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            regex, i = regex + pattern[i : end + 1], end + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.compile(regex + r"\Z")


def _ignored(path: str, patterns: list[tuple[bool, str]]) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern that matches a parent
    folder matches what is inside it."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for negated, pattern in patterns:
        regex = _pattern_regex(pattern)
        if any(regex.match(candidate) for candidate in candidates):
            ignored = not negated
    return ignored


@pytest.mark.parametrize("name", DOCKERFILES)
def test_every_copied_path_exists_and_is_in_the_build_context(name: str) -> None:
    patterns = _dockerignore_patterns()
    for keyword, rest in _instructions(name):
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        sources = shlex.split(rest)[:-1]
        for source in sources:
            assert (ROOT / source).exists(), f"{name}: COPY {source}: no such file"
            assert not _ignored(source, patterns), f"{name}: {source} is in .dockerignore"
            if (ROOT / source).is_dir():
                for file in (ROOT / source).rglob("*"):
                    relative = file.relative_to(ROOT).as_posix()
                    if file.is_file() and "__pycache__" not in relative:
                        assert not _ignored(relative, patterns), relative


def test_dockerignore_keeps_local_state_and_secrets_out() -> None:
    patterns = _dockerignore_patterns()
    for path in (".venv/bin/python", ".git/HEAD", ".env", "tests/conftest.py", "artifacts/x.png"):
        assert _ignored(path, patterns), path
    assert not _ignored(".env.example", patterns)


# ---- compose ----


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_default_services_are_vllm_and_the_api(compose: dict) -> None:
    default = {name for name, svc in compose["services"].items() if not svc.get("profiles")}
    assert default == {"vllm", "api"}
    assert compose["services"]["api-cpu"]["profiles"] == ["cpu"]


def test_compose_api_waits_for_a_healthy_vllm(compose: dict) -> None:
    api = compose["services"]["api"]
    assert api["depends_on"]["vllm"]["condition"] == "service_healthy"
    assert api["environment"]["LLM_API_URL"] == "http://vllm:8001/v1/chat/completions"
    # The API container runs no vLLM itself: vLLM is its own service.
    assert api["build"]["dockerfile"] == "Dockerfile.cpu"
    assert compose["services"]["api-cpu"]["build"]["dockerfile"] == "Dockerfile.cpu"
    assert "/id_card_scan/health" in " ".join(api["healthcheck"]["test"])


def test_compose_vllm_is_the_official_pinned_image_with_a_models_healthcheck(
    compose: dict,
) -> None:
    vllm = compose["services"]["vllm"]
    image = vllm["image"]
    assert re.fullmatch(r"vllm/vllm-openai:v\d+\.\d+\.\d+", image)
    # The same release as the base of Dockerfile, SPEC's single-container image.
    assert f"ARG VLLM_IMAGE={image}" in (ROOT / "Dockerfile").read_text()
    assert "/v1/models" in " ".join(vllm["healthcheck"]["test"])
    command = " ".join(vllm["command"])
    for variable in ("LLM_MODEL", "LLM_GPU_MEMORY_UTIL", "LLM_MAX_MODEL_LEN"):
        assert "${" + variable in command
    assert "~/.cache/huggingface:/root/.cache/huggingface" in vllm["volumes"]
    devices = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"]


def test_compose_cpu_profile_has_no_vllm(compose: dict) -> None:
    api_cpu = compose["services"]["api-cpu"]
    assert "depends_on" not in api_cpu
    assert "deploy" not in api_cpu


# ---- systemd ----


@pytest.mark.parametrize("unit", UNITS)
def test_units_do_not_use_notify_or_a_fixed_sleep(unit: str) -> None:
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    settings = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    body = "\n".join(settings)
    assert "Type=notify" not in body
    assert not re.search(r"sleep\s+15", body)
    assert "EnvironmentFile=-/home/id-card/id-card-ocr/.env" in body
    assert "NoNewPrivileges=yes" in body
    assert "ProtectSystem=strict" in body


def test_api_unit_waits_for_the_llm_and_stops_gracefully() -> None:
    text = (ROOT / "deploy" / "systemd" / "id-card-ocr.service").read_text()
    assert "Type=exec" in text
    assert "After=network-online.target id-card-ocr-vllm.service" in text
    assert "Wants=network-online.target id-card-ocr-vllm.service" in text
    assert "ExecStartPre=-/home/id-card/id-card-ocr/deploy/systemd/wait-for-llm.sh" in text
    assert "-c gunicorn.conf.py" in text
    assert "LogsDirectory=id-card-ocr" in text
    graceful = int(re.search(r"^graceful_timeout = (\d+)", _gunicorn_conf(), re.M).group(1))
    stop = int(re.search(r"^TimeoutStopSec=(\d+)$", text, re.M).group(1))
    assert stop > graceful


def _gunicorn_conf() -> str:
    return (ROOT / "gunicorn.conf.py").read_text()


# ---- wait-for-llm.sh ----


class _Models(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        ok = self.path == "/v1/models"
        self.send_response(200 if ok else 404)
        self.end_headers()
        self.wfile.write(b'{"data": []}' if ok else b"")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def models_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Models)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _wait(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(WAIT_FOR_LLM)],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_wait_for_llm_returns_at_once_without_an_llm() -> None:
    result = _wait(LLM_MODEL="")
    assert result.returncode == 0
    assert "not waiting" in result.stdout


def test_wait_for_llm_returns_when_the_models_endpoint_answers(models_server: str) -> None:
    result = _wait(
        LLM_MODEL="Qwen/Qwen2.5-7B-Instruct",
        LLM_API_URL=f"{models_server}/v1/chat/completions",
        LLM_WAIT_TIMEOUT="20",
    )
    assert result.returncode == 0, result.stderr
    assert f"{models_server}/v1/models answers" in result.stdout


def test_wait_for_llm_gives_up_after_its_timeout(models_server: str) -> None:
    # This server answers 404 on /openai/v1/models: not ready.
    result = _wait(
        LLM_MODEL="Qwen/Qwen2.5-7B-Instruct",
        LLM_API_URL=f"{models_server}/openai/v1/chat/completions",
        LLM_WAIT_TIMEOUT="1",
    )
    assert result.returncode == 1
    assert "did not answer within 1s" in result.stderr


KUBERNETES = ROOT / "deploy" / "kubernetes"


def _kubernetes_resources() -> list[dict]:
    return [
        resource
        for path in sorted(KUBERNETES.glob("*.yaml"))
        for resource in yaml.safe_load_all(path.read_text())
        if resource
    ]


@pytest.mark.parametrize("path", sorted(KUBERNETES.glob("*.yaml")), ids=lambda p: p.name)
def test_kubernetes_manifests_validate_against_the_api_schemas(path: Path) -> None:
    from kubernetes_validate import utils

    for resource in yaml.safe_load_all(path.read_text()):
        utils.validate(resource, "1.30.0", strict=True)  # raises on any unknown field


def test_kubernetes_api_probes_token_metrics_and_llm_service() -> None:
    by_kind = {(r["kind"], r["metadata"]["name"]): r for r in _kubernetes_resources()}
    api = by_kind[("Deployment", "id-card-scan-api")]["spec"]["template"]
    [container] = api["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/id_card_scan/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/id_card_scan/health"
    token = next(e for e in container["env"] if e["name"] == "HARD_TOKEN")
    assert token["valueFrom"]["secretKeyRef"]["name"] == "id-card-scan"
    assert api["metadata"]["annotations"]["prometheus.io/path"] == "/metrics"
    assert container["resources"]["requests"]["cpu"]
    config = by_kind[("ConfigMap", "id-card-scan")]["data"]
    vllm_service = by_kind[("Service", "vllm")]
    port = vllm_service["spec"]["ports"][0]["port"]
    assert config["LLM_API_URL"] == f"http://vllm:{port}/v1/chat/completions"
    vllm = by_kind[("Deployment", "id-card-scan-vllm")]["spec"]["template"]["spec"]
    assert vllm["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    kinds = {kind for kind, _ in by_kind}
    assert {"HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"} <= kinds
