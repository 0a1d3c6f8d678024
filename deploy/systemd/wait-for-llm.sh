#!/usr/bin/env bash
# Waits until the LLM server answers GET <base>/v1/models, where <base> comes from
# LLM_API_URL (http://localhost:8001/v1/chat/completions -> .../v1/models).
# Used by id-card-ocr.service as ExecStartPre, instead of SPEC's `sleep 15`.
#
#   LLM_MODEL          empty: no LLM is configured, return at once
#   LLM_API_URL        the chat-completions URL the API calls
#   LLM_API_KEY        sent as a bearer token when set
#   LLM_WAIT_TIMEOUT   seconds to wait at most (default 900: a first start downloads
#                      the model); exit 1 after that
set -euo pipefail

if [ -z "${LLM_MODEL:-}" ]; then
  echo "wait-for-llm: LLM_MODEL is not set: not waiting"
  exit 0
fi

timeout=${LLM_WAIT_TIMEOUT:-900}
case "$timeout" in
  '' | *[!0-9]*)
    echo "wait-for-llm: LLM_WAIT_TIMEOUT must be a number of seconds, got '$timeout'" >&2
    exit 2
    ;;
esac

PYTHON=${PYTHON:-python3}
url=$("$PYTHON" - <<'PY'
import os
from urllib.parse import urlsplit, urlunsplit

api = os.environ.get("LLM_API_URL") or "http://localhost:8001/v1/chat/completions"
parts = urlsplit(api)
path = parts.path.rstrip("/")
for suffix in ("/chat/completions", "/completions"):
    if path.endswith(suffix):
        path = path[: -len(suffix)]
        break
else:
    path = "/v1"
print(urlunsplit((parts.scheme, parts.netloc, path + "/models", "", "")))
PY
)

probe() {
  "$PYTHON" - "$url" <<'PY'
import os
import sys
import urllib.request

request = urllib.request.Request(sys.argv[1])
if os.environ.get("LLM_API_KEY"):
    request.add_header("Authorization", "Bearer " + os.environ["LLM_API_KEY"])
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

echo "wait-for-llm: waiting up to ${timeout}s for $url"
deadline=$((SECONDS + timeout))
until probe; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "wait-for-llm: $url did not answer within ${timeout}s" >&2
    exit 1
  fi
  sleep 2
done
echo "wait-for-llm: $url answers"
