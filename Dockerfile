# SPEC's default image: vLLM and the API in one container (SPEC's recipe):
#   docker build -t id-card-ocr .
#   docker run --gpus all -p 8000:8000 -p 8001:8001 -e LLM_MODEL=Qwen/Qwen2.5-7B-Instruct \
#     -e LLM_GPU_MEMORY_UTIL=0.8 id-card-ocr
# run.sh starts vLLM on 127.0.0.1:LLM_SERVER_PORT, waits until it answers, then the API.
# Without a GPU (no --gpus, or no NVIDIA driver) run.sh says so and starts the API alone.
# The slim CPU image without vLLM is Dockerfile.cpu; vLLM in its own container is
# compose.yaml. See docs/deployment.md.
#
# Base: vLLM's own image rather than nvidia/cuda. vLLM needs a torch built for its CUDA
# and a set of kernels (FlashInfer, ...) that vLLM's CI builds and tests together; this
# image carries exactly that set, so we add the API to it and change none of it. The tag
# is pinned; move VLLM_IMAGE and ONNXRUNTIME_GPU_VERSION together, then rebuild.
# (Ubuntu 22.04 with Python 3.12 in the images of this period; the app needs >= 3.10.)
ARG VLLM_IMAGE=vllm/vllm-openai:v0.33.0
FROM ${VLLM_IMAGE}
ARG ONNXRUNTIME_GPU_VERSION=1.31.1

SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV DEBIAN_FRONTEND=noninteractive \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_BREAK_SYSTEM_PACKAGES=1

# Tesseract's Vietnamese model from the distribution (tesserocr bundles libtesseract),
# and its English one, which reads machine-readable zones restricted to A-Z0-9<.
# The fonts are those the package's card generator (id_card_scan.synth) draws with, so
# that synthetic cards can be made and benchmarked inside the image too.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr-vie tesseract-ocr-eng \
       fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-freefont-ttf fonts-ocr-b \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md NOTICE ./
COPY id_card_scan ./id_card_scan
COPY app ./app

# Install the API into the image's Python beside vLLM without moving any package vLLM's
# image installed: those are pinned at the image's versions, and constraints.txt pins
# the rest. A conflict fails the build here, not the service at run time. Then swap the
# CPU onnxruntime for onnxruntime-gpu (same module; both installed would clash).
RUN python3 -m pip list --format=freeze > /tmp/image-constraints.txt \
    && awk -F'==' 'function norm(n) { n = tolower(n); gsub(/[-_.]+/, "-", n); return n } \
         NR == FNR { have[norm($1)] = 1; next } \
         /^[A-Za-z0-9]/ && !(norm($1) in have)' \
         /tmp/image-constraints.txt constraints.txt > /tmp/app-constraints.txt \
    && python3 -m pip install --no-cache-dir \
         -c /tmp/image-constraints.txt -c /tmp/app-constraints.txt . \
    && python3 -m pip install --no-cache-dir --no-deps \
         -c /tmp/app-constraints.txt vietnamadminunits \
    && python3 -m pip uninstall -y onnxruntime \
    && python3 -m pip install --no-cache-dir \
         -c /tmp/image-constraints.txt "onnxruntime-gpu==${ONNXRUNTIME_GPU_VERSION}" \
    && rm -rf /tmp/image-constraints.txt /tmp/app-constraints.txt build ./*.egg-info

COPY run.sh run.py gunicorn.conf.py .env.example ./

RUN groupadd --system --gid 10001 id-card \
    && useradd --system --uid 10001 --gid id-card --home-dir /home/id-card \
       --create-home --shell /usr/sbin/nologin id-card \
    && install -d -o id-card -g id-card /home/id-card/.cache/huggingface

# The model cache is the service user's: mount a volume on /home/id-card/.cache/huggingface
# to keep downloads across containers. No usage statistics are sent to vLLM's servers.
ENV HOME=/home/id-card \
    HF_HOME=/home/id-card/.cache/huggingface \
    VLLM_NO_USAGE_STATS=1 \
    DO_NOT_TRACK=1 \
    PYTHONUNBUFFERED=1 \
    ORT_DISABLE_TELEMETRY=1 \
    MALLOC_ARENA_MAX=2 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    VLLM_START_TIMEOUT=1800
# Numeric, so that a runtime can check it is not root (runAsNonRoot).
USER 10001:10001

EXPOSE 8000 8001
# The first start downloads the model (~15 GB for Qwen2.5-7B): run.sh waits up to
# VLLM_START_TIMEOUT for vLLM, and the health check allows as long.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30m --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/id_card_scan/health' % os.environ.get('PORT', '8000'), timeout=8)"]

# vLLM's image starts `vllm serve`; ours starts run.sh (vLLM, then the API).
ENTRYPOINT []
CMD ["bash", "run.sh"]
