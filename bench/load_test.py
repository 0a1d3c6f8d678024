"""Load test: N OCR requests at concurrency C against a real Gunicorn on loopback.

    .venv/bin/python -m bench.load_test [--requests 1000] [--concurrency 16] [--max-seconds 900]

Starts the service as operators do (gunicorn.conf.py), warms it up, then sends generated
card photos. Bounded in count and time; loopback only. Prints throughput, p50/p95
latency, errors and the workers' memory before and after; writes
``bench/results/load_test.json`` and the table into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench import DOC, ROOT, replace_section
from id_card_scan.synth import capture, render_card
from tests.app.gunicorn_process import gunicorn_process
from tests.conftest import encode
from tests.llm_server import free_port

RESULTS = ROOT / "bench" / "results" / "load_test.json"


def _workers_rss_mb(master: int) -> float:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0.0
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return round(total, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    images = [
        encode(capture(render_card(seed=s), seed=s, variant="camera").image, "JPEG", quality=85)
        for s in range(900, 908)
    ]
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="id-card-scan-load-"))
    with gunicorn_process(workdir, port, LOG_LEVEL="WARNING", MALLOC_ARENA_MAX="2") as master:
        url = f"http://127.0.0.1:{port}/id_card_scan/ocr"
        client = httpx.Client(timeout=120, limits=httpx.Limits(max_connections=args.concurrency))

        def send(index: int) -> tuple[float, int]:
            started = time.perf_counter()
            try:
                response = client.post(url, files={"image_file": ("c.jpg", images[index % 8])})
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            return time.perf_counter() - started, status

        # Warm-up at full concurrency: every thread's buffers and arenas exist before the
        # baseline is taken, so that growth means a leak, not a first touch.
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(send, range(3 * args.concurrency)))
        workers = os.cpu_count()
        rss_before = _workers_rss_mb(master.pid)
        deadline = time.monotonic() + args.max_seconds
        latencies: list[float] = []
        statuses: list[int] = []
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            pending = [pool.submit(send, i) for i in range(args.requests)]
            for future in pending:
                remaining = max(deadline - time.monotonic(), 0.001)
                try:
                    seconds, status = future.result(timeout=remaining)
                except TimeoutError:
                    for other in pending:
                        other.cancel()
                    break
                latencies.append(seconds)
                statuses.append(status)
        elapsed = time.perf_counter() - started
        rss_after = _workers_rss_mb(master.pid)
        client.close()
    ordered = sorted(latencies)
    row = {
        "requests_sent": len(latencies),
        "concurrency": args.concurrency,
        "errors": sum(1 for s in statuses if s != 200),
        "throughput_rps": round(len(latencies) / elapsed, 2),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "workers_rss_before_mb": rss_before,
        "workers_rss_after_mb": rss_after,
        "rss_growth": round(rss_after / rss_before - 1, 4),
        "cpus": workers,
    }
    table = "\n".join(
        [
            "| requests | concurrency | errors | req/s | p50 ms | p95 ms "
            "| workers RSS before → after |",
            "|---|---|---|---|---|---|---|",
            f"| {row['requests_sent']} | {row['concurrency']} | {row['errors']} | "
            f"{row['throughput_rps']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{rss_before} → {rss_after} MB ({row['rss_growth']:+.1%}) |",
        ]
    )
    print(table)
    if args.no_write:
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(row, indent=2) + "\n")
    note = (
        f"_Run {time.strftime('%Y-%m-%d')} on {row['cpus']} CPUs: Gunicorn with gunicorn.conf.py "
        "defaults, camera-variant card photos, loopback, command "
        "`.venv/bin/python -m bench.load_test`._"
    )
    replace_section(DOC, "load_test", "## Load", f"{note}\n\n{table}")


if __name__ == "__main__":
    main()
