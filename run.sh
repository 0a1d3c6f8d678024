#!/usr/bin/env bash
# Starts the service as SPEC describes: when LLM_MODEL is set and a GPU and vLLM are
# present, first the vLLM server on LLM_SERVER_PORT (waiting until it answers), then the
# API under Gunicorn on HOST:PORT. Otherwise the API alone, and it says why.
set -euo pipefail
cd "$(dirname "$0")"

if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi

PYTHON=python3
[ -x .venv/bin/python ] && PYTHON=.venv/bin/python
# Fewer malloc arenas: with many threads glibc otherwise keeps growing the heap
# (measured: +28% worker memory over 150 requests at concurrency 16, +10% with 2).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
HOST=${HOST:-0.0.0.0}
PORT=${PORT:-8000}
LLM_MODEL=${LLM_MODEL:-}
LLM_SERVER_PORT=${LLM_SERVER_PORT:-8001}
LLM_GPU_MEMORY_UTIL=${LLM_GPU_MEMORY_UTIL:-0.8}
LLM_MAX_MODEL_LEN=${LLM_MAX_MODEL_LEN:-5000}
LLM_ENFORCE_EAGER=${LLM_ENFORCE_EAGER:-True}
VLLM_START_TIMEOUT=${VLLM_START_TIMEOUT:-900}

vllm_pid=""
api_pid=""
cleanup() {
  for pid in $api_pid $vllm_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $api_pid $vllm_pid; do
    wait "$pid" 2>/dev/null || true
  done
}

have_gpu() { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }
have_vllm() { "$PYTHON" -c "import vllm" >/dev/null 2>&1; }

if [ -z "$LLM_MODEL" ]; then
  echo "run.sh: LLM_MODEL is not set: starting the API alone (OCR; no LLM extraction)"
elif ! have_gpu; then
  echo "run.sh: LLM_MODEL=$LLM_MODEL but no NVIDIA GPU is visible: starting the API alone"
elif ! have_vllm; then
  echo "run.sh: LLM_MODEL=$LLM_MODEL but vLLM is not installed (pip install vllm): starting the API alone"
else
  args=(--model "$LLM_MODEL" --port "$LLM_SERVER_PORT" --host 127.0.0.1
        --gpu-memory-utilization "$LLM_GPU_MEMORY_UTIL" --max-model-len "$LLM_MAX_MODEL_LEN")
  case "${LLM_ENFORCE_EAGER,,}" in true|1|yes|on) args+=(--enforce-eager) ;; esac
  echo "run.sh: starting vLLM ($LLM_MODEL) on 127.0.0.1:$LLM_SERVER_PORT"
  "$PYTHON" -m vllm.entrypoints.openai.api_server "${args[@]}" &
  vllm_pid=$!
  trap cleanup EXIT INT TERM
  deadline=$((SECONDS + VLLM_START_TIMEOUT))
  until "$PYTHON" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$LLM_SERVER_PORT/v1/models', timeout=2)" 2>/dev/null; do
    if ! kill -0 "$vllm_pid" 2>/dev/null; then
      echo "run.sh: vLLM exited before answering; see its output above" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run.sh: vLLM did not answer within ${VLLM_START_TIMEOUT}s" >&2
      exit 1
    fi
    sleep 2
  done
  echo "run.sh: vLLM is answering"
fi

echo "run.sh: starting the API on http://$HOST:$PORT/id_card_scan/health"
if [ -z "$vllm_pid" ]; then
  exec "$PYTHON" -m gunicorn -c gunicorn.conf.py 'app:create_app()'
fi
# With vLLM beside it, stay in the foreground so that a stop reaches both.
"$PYTHON" -m gunicorn -c gunicorn.conf.py 'app:create_app()' &
api_pid=$!
wait "$api_pid"
