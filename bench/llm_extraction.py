"""LLM extraction cost: one request per card (our default) against SPEC's one per field.

    .venv/bin/python -m bench.llm_extraction [--cards 3] [--url URL --model NAME --format F]

Without --url it starts the tests' llama-cpp-python server (SmolLM2-135M, CPU) on
loopback; with --url it measures any OpenAI-compatible server (vLLM: --format json_schema).
OCR runs once per card; then, for 3, 5 and 8 fields, each mode extracts the same fields
from the same lines. Prints a table, writes ``bench/results/llm_extraction.json`` and the
table into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from bench import DOC, ROOT, replace_section
from id_card_scan.extraction import ExtractionOptions
from id_card_scan.extraction.llm import LlmExtractor
from id_card_scan.llm import ChatClient
from id_card_scan.ocr import Line, build_predictor
from id_card_scan.settings import load_settings
from id_card_scan.synth import capture, render_card

RESULTS = ROOT / "bench" / "results" / "llm_extraction.json"
SECTION = "llm_extraction"
CATALOGUE = {
    "id_number": "Số căn cước",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "sex": "Giới tính",
    "place_of_residence": "Nơi thường trú",
    "nationality": "Quốc tịch",
    "place_of_origin": "Quê quán",
    "date_of_expiry": "Có giá trị đến",
}
FIELD_COUNTS = (3, 5, 8)


def _card_lines(count: int) -> list[list[Line]]:
    predictor = build_predictor(load_settings(env_file=None))
    cards = []
    for index in range(count):
        card = capture(render_card(seed=500 + index), seed=500 + index, variant="camera")
        cards.append(predictor.read(np.asarray(card.image.convert("RGB"))).lines)
    return cards


def _measure(extractor: LlmExtractor, cards: list[list[Line]]) -> list[dict[str, object]]:
    rows = []
    for count in FIELD_COUNTS:
        fields = dict(list(CATALOGUE.items())[:count])
        for mode in ("one_call", "per_field"):
            options = ExtractionOptions(fields=fields, mode=mode, llm_timeout=120)  # type: ignore[arg-type]
            requests, prompt, completion, seconds = [], [], [], []
            for lines in cards:
                started = time.perf_counter()
                usage = extractor.extract(lines, options).llm_usage
                seconds.append(time.perf_counter() - started)
                requests.append(usage.requests)
                prompt.append(usage.prompt_tokens)
                completion.append(usage.completion_tokens)
            rows.append(
                {
                    "fields": count,
                    "mode": mode,
                    "requests_per_card": statistics.mean(requests),
                    "prompt_tokens_per_card": round(statistics.mean(prompt)),
                    "completion_tokens_per_card": round(statistics.mean(completion)),
                    "seconds_per_card": round(statistics.mean(seconds), 2),
                }
            )
    return rows


def _table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| fields | mode | LLM requests / card | prompt tokens | completion tokens | "
        "total tokens vs one_call | seconds / card |",
        "|---|---|---|---|---|---|---|",
    ]
    totals = {
        (r["fields"], r["mode"]): float(r["prompt_tokens_per_card"])  # type: ignore[arg-type]
        + float(r["completion_tokens_per_card"])  # type: ignore[arg-type]
        for r in rows
    }
    for r in rows:
        base = totals[(r["fields"], "one_call")] or 1.0
        ratio = totals[(r["fields"], r["mode"])] / base
        lines.append(
            f"| {r['fields']} | {r['mode']} | {r['requests_per_card']:g} | "
            f"{r['prompt_tokens_per_card']} | {r['completion_tokens_per_card']} | "
            f"{ratio:.2f}x | {r['seconds_per_card']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=3)
    parser.add_argument("--url", help="chat-completions URL of a running server")
    parser.add_argument("--model", default="smollm2")
    parser.add_argument(
        "--format", default="json_object", choices=["json_schema", "json_object", "none"]
    )
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    cards = _card_lines(args.cards)
    with ExitStack() as stack:
        url, server = args.url, "given server"
        if url is None:
            from tests.llm_server import MODEL_ALIAS, llama_server

            log = Path("/tmp") / "bench-llama-server.log"  # server log only: no card data
            url = stack.enter_context(llama_server(log))
            args.model, server = (
                MODEL_ALIAS,
                "llama-cpp-python 0.3.36, SmolLM2-135M-Instruct Q4_1, CPU",
            )
        client = ChatClient(
            url, args.model, structured_output=args.format, max_tokens=args.max_tokens
        )
        rows = _measure(LlmExtractor(client), cards)
    table = _table(rows)
    print(table)
    if args.no_write:
        return
    meta = {
        "date": time.strftime("%Y-%m-%d"),
        "server": server,
        "model": args.model,
        "cards": args.cards,
        "max_tokens": args.max_tokens,
        "machine": f"{platform.machine()}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    note = (
        f"_Run {meta['date']}: {server}, model `{args.model}`, {args.cards} camera-variant "
        f"cards, max_tokens {args.max_tokens}, command `.venv/bin/python -m bench.llm_extraction`._"
    )
    replace_section(DOC, SECTION, "## LLM extraction cost", f"{note}\n\n{table}")


if __name__ == "__main__":
    main()
