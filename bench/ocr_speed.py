"""OCR speed benchmark: our pipeline against whole-page Tesseract, in one run.

    .venv/bin/python -m bench.ocr_speed [--cards 20] [--variants flat,camera]

Each engine runs in its own process (so that peak RSS is its own) over the same generated
cards, after a warm-up. Prints a table, writes ``bench/results/ocr_speed.json`` and the
table into ``docs/benchmarks.md``. Compare rows of one run only: machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

from bench import DOC, RESULTS_DIR, ROOT, replace_section

RESULTS = RESULTS_DIR / "ocr_speed.json"
KINDS = ("chip_cccd_front", "can_cuoc_2024_front")
# Our pipeline (default recognizer), the same with Tesseract as its recognizer, and the
# peer: whole-page Tesseract.
ENGINES = ("pipeline", "pipeline_tesseract", "tesseract_page")


def _cards(count: int, variants: list[str]) -> list[tuple[str, np.ndarray, list[str]]]:
    from id_card_scan.synth import capture, render_card

    cards = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        variant = variants[index % len(variants)]
        card = capture(
            render_card(seed=1000 + index, kind=kind), seed=1000 + index, variant=variant
        )
        cards.append((variant, np.asarray(card.image.convert("RGB")), list(card.fields.values())))
    return cards


def _reader(engine: str) -> Callable[[np.ndarray], list[str]]:
    from id_card_scan.settings import load_settings

    settings = load_settings(env_file=None)
    if engine.startswith("pipeline"):
        from id_card_scan.pipeline import Pipeline

        if engine == "pipeline_tesseract":
            settings = load_settings(env_file=None, TEXT_REC_ENGINE="tesseract")
        # What /ocr does after decoding: find, rectify and orient the card, then read it.
        pipeline = Pipeline.from_settings(settings)
        return lambda pixels: [line.text for line in pipeline.read_pixels(pixels).lines]
    import tesserocr
    from PIL import Image

    # The peer: Tesseract's own page layout analysis on the whole image, same model.
    api = tesserocr.PyTessBaseAPI(
        path=str(settings.tessdata_path()), lang="vie", psm=tesserocr.PSM.AUTO
    )

    def read_page(pixels: np.ndarray) -> list[str]:
        api.SetImage(Image.fromarray(pixels))
        return api.GetUTF8Text().splitlines()

    return read_page


def run_engine(engine: str, count: int, variants: list[str]) -> dict[str, object]:
    cards = _cards(count, variants)
    read = _reader(engine)
    for _, pixels, _ in cards[:2]:
        read(pixels)  # warm-up: first calls allocate arenas and caches
    latencies: dict[str, list[float]] = {}
    found = total = 0
    for variant, pixels, values in cards:
        started = time.perf_counter()
        texts = read(pixels)
        latencies.setdefault(variant, []).append((time.perf_counter() - started) * 1000)
        joined = " ".join(" ".join(texts).split())
        found += sum(value in joined for value in values)
        total += len(values)
    every = [ms for values in latencies.values() for ms in values]
    return {
        "engine": engine,
        "cards": len(cards),
        "p50_ms": _percentile(every, 50),
        "p95_ms": _percentile(every, 95),
        "by_variant_p50_ms": {v: _percentile(ms, 50) for v, ms in latencies.items()},
        "field_values_found": round(found / total, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def _table(rows: list[dict[str, object]]) -> str:
    base = next(r for r in rows if r["engine"] == "pipeline")
    lines = [
        "| engine | cards | p50 ms | p95 ms | p50 / pipeline | p50 ms per capture | "
        "field values found | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = float(row["p50_ms"]) / float(base["p50_ms"])  # type: ignore[arg-type]
        per_capture = ", ".join(
            f"{name} {ms}"
            for name, ms in row["by_variant_p50_ms"].items()  # type: ignore[union-attr]
        )
        lines.append(
            f"| {row['engine']} | {row['cards']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{ratio:.2f}x | {per_capture} | {float(row['field_values_found']):.1%} | "  # type: ignore[arg-type]
            f"{row['peak_rss_mb']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=20)
    parser.add_argument("--variants", default="flat,camera,phone")
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    variants = args.variants.split(",")
    if args.engine:  # child process: one engine, JSON on stdout
        print(json.dumps(run_engine(args.engine, args.cards, variants)))
        return
    rows = []
    for engine in ENGINES:
        command = [
            sys.executable,
            "-m",
            "bench.ocr_speed",
            "--engine",
            engine,
            "--cards",
            str(args.cards),
            "--variants",
            args.variants,
        ]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    table = _table(rows)
    print(table)
    meta = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "cards": args.cards,
        "variants": args.variants,
    }
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
        note = (
            f"_Run {meta['date']} on {meta['machine']} ({meta['cpus']} CPUs), {meta['cards']} "
            f"cards, variants {meta['variants']}, command `.venv/bin/python -m bench.ocr_speed`._"
        )
        replace_section(DOC, "ocr_speed", "## OCR speed", f"{note}\n\n{table}")


if __name__ == "__main__":
    main()
