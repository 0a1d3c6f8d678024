# CPU image of the API: `docker build -t id-card-ocr .` (SPEC's command).
#
# OCR runs on the CPU: the PP-OCRv6 detector ships inside the rapidocr wheel and
# Tesseract's Vietnamese model comes from Debian's tesseract-ocr-vie, both baked in here,
# so nothing is downloaded when the container starts. The image holds no vLLM: with
# SPEC's `docker run --gpus all -e LLM_MODEL=... id-card-ocr`, run.sh says so and starts
# the API alone. For vLLM in the same container build Dockerfile.gpu; for vLLM in its own
# container use compose.yaml. See docs/deployment.md.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: the project and its pinned dependencies in a virtual environment ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml constraints.txt README.md NOTICE ./
COPY id_card_scan ./id_card_scan
COPY app ./app
# The service's dependencies only: no test tools, no Paddle (the `paddle` extra).
RUN pip install --no-cache-dir -c constraints.txt .

# ---- runtime ----
FROM ${PYTHON_IMAGE}
# Debian's Tesseract Vietnamese model (tesserocr's wheel bundles libtesseract itself).
# Versions are Debian bookworm's, not pinned: bookworm only ships security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr-vie \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 id-card \
    && useradd --system --uid 10001 --gid id-card --home-dir /home/id-card \
       --create-home --shell /usr/sbin/nologin id-card

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Code and start-up files, owned by root and read-only to the service user.
COPY run.sh run.py gunicorn.conf.py .env.example NOTICE ./
COPY id_card_scan ./id_card_scan
COPY app ./app

ENV PATH=/opt/venv/bin:$PATH \
    HOME=/home/id-card \
    PYTHONUNBUFFERED=1 \
    ORT_DISABLE_TELEMETRY=1 \
    MALLOC_ARENA_MAX=2 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=8000
# Numeric, so that a runtime can check it is not root (runAsNonRoot).
USER 10001:10001

# 8000: the API. 8001: SPEC's vLLM port (only used by the GPU image, where vLLM listens
# on the container's loopback for the API).
EXPOSE 8000 8001
# /health answers 200 once a Gunicorn worker has loaded the models. Python, not curl:
# the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/id_card_scan/health' % os.environ.get('PORT', '8000'), timeout=8)"]

CMD ["bash", "run.sh"]
