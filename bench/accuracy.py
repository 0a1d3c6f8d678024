"""Accuracy benchmark: OCR and field extraction on generated cards, per card kind and capture.

    .venv/bin/python -m bench.accuracy [--cards 6] [--kinds all] [--variants flat,phone:180]

Every card kind of the generator (front and back of each generation) is rendered for
``--cards`` invented holders and photographed in each capture variant, then read through
the real pipeline with no LLM configured (QR, MRZ and rules only). Reported per kind and
per variant, and in total (a variant ``phone:90`` is a phone photo turned a quarter turn
clockwise; plain ``phone`` draws the turn at random):

- line CER: edits over characters of every printed line (labels, values, headers, MRZ),
  each aligned into the OCR text; also with diacritics stripped from both sides, which
  shows how much of the error is tone marks;
- OCR field text: a field's printed value appears verbatim in the OCR text;
- extraction exact: ``/extract``'s value equals the printed value;
- cards all right: every field of the card extracted exactly;
- seconds per card (OCR + extraction), and its ratio to the flat scans of the same run;
- card geometry: the card's outline found, its corners within 10 px of the truth, and the
  quarter turn right.

Writes ``bench/results/accuracy.json`` and its tables into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench import DOC, RESULTS_DIR, replace_section
from bench.scoring import cer, line_errors, squash, strip_diacritics

RESULTS = RESULTS_DIR / "accuracy.json"
# The sides that print a QR code carrying their holder's fields.
QR_KINDS = ("chip_cccd_front", "can_cuoc_2024_back")
SEED_BASE = 7000


@dataclass
class CardScore:
    kind: str
    variant: str
    line_edits: int
    line_edits_plain: int
    line_chars: int
    ocr_found: dict[str, bool]
    extracted: dict[str, bool]
    sources: dict[str, str | None]
    seconds: float
    outline_found: bool
    outline_right: bool
    upright: bool


@dataclass
class Tally:
    cards: int = 0
    line_edits: int = 0
    line_edits_plain: int = 0
    line_chars: int = 0
    ocr_found: int = 0
    exact: int = 0
    fields: int = 0
    all_right: int = 0
    outlines_found: int = 0
    outlines_right: int = 0
    upright: int = 0
    seconds: list[float] = field(default_factory=list)

    def add(self, score: CardScore) -> None:
        self.cards += 1
        self.line_edits += score.line_edits
        self.line_edits_plain += score.line_edits_plain
        self.line_chars += score.line_chars
        self.ocr_found += sum(score.ocr_found.values())
        self.exact += sum(score.extracted.values())
        self.fields += len(score.extracted)
        self.all_right += all(score.extracted.values())
        self.outlines_found += score.outline_found
        self.outlines_right += score.outline_right
        self.upright += score.upright
        self.seconds.append(score.seconds)

    def row(self) -> dict[str, Any]:
        fields = max(self.fields, 1)
        return {
            "cards": self.cards,
            "line_cer": round(cer(self.line_edits, self.line_chars), 4),
            "line_cer_no_diacritics": round(cer(self.line_edits_plain, self.line_chars), 4),
            "ocr_field_text": round(self.ocr_found / fields, 4),
            "extraction_exact": round(self.exact / fields, 4),
            "cards_all_right": round(self.all_right / max(self.cards, 1), 4),
            "seconds_per_card": round(statistics.mean(self.seconds), 3) if self.seconds else 0,
            "card_found": round(self.outlines_found / max(self.cards, 1), 4),
            "card_corners_within_10px": round(self.outlines_right / max(self.cards, 1), 4),
            "upright": round(self.upright / max(self.cards, 1), 4),
        }


def _score_card(pipeline: Any, kind: str, variant: str, seed: int) -> CardScore:
    from id_card_scan.extraction import ExtractionOptions
    from id_card_scan.extraction.catalogue import CATALOGUE
    from id_card_scan.synth import capture, render_card

    names = {entry.key: entry.name_vi for entry in CATALOGUE}
    shot, _, turn = variant.partition(":")
    rotation = int(turn) if turn else None
    card = capture(render_card(seed=seed, kind=kind), seed=seed, variant=shot, rotation=rotation)
    encoded = _jpeg_or_png(card.image, variant)
    options = ExtractionOptions(fields={key: names[key] for key in card.fields})
    started = time.perf_counter()
    result = pipeline.extract(encoded, options)
    seconds = time.perf_counter() - started
    view = result.view

    ocr_text = " ".join(squash(line.text) for line in result.ocr.lines)
    truth = [line.text for line in card.lines]
    edits, chars = line_errors(truth, ocr_text)
    plain_edits, _ = line_errors([strip_diacritics(t) for t in truth], strip_diacritics(ocr_text))
    ocr_found = {key: squash(value) in ocr_text for key, value in card.fields.items()}
    truth_quad = np.array(card.card_quad, np.float32)
    corner_error = (
        float(np.linalg.norm(view.card_quad - truth_quad, axis=1).max()) if view else np.inf
    )
    # The view's first corner is the printed card's top-left one: right quarter turn.
    nearest = int(np.linalg.norm(truth_quad - view.card_quad[0], axis=1).argmin()) if view else -1
    extracted = {
        key: squash(result.fields[key].value or "") == squash(value)
        for key, value in card.fields.items()
    }
    return CardScore(
        kind=kind,
        variant=variant,
        line_edits=edits,
        line_edits_plain=plain_edits,
        line_chars=chars,
        ocr_found=ocr_found,
        extracted=extracted,
        sources={key: result.fields[key].source for key in card.fields},
        seconds=seconds,
        outline_found=bool(view and view.card_found),
        outline_right=bool(view and corner_error <= 10),
        upright=nearest == 0,
    )


def _jpeg_or_png(image: Any, variant: str) -> bytes:
    """Bytes as a user would upload them: scans as PNG, photos as the JPEG they already are."""
    import io

    buffer = io.BytesIO()
    if variant.startswith("flat"):
        image.save(buffer, format="PNG")
    else:
        image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def _percent(value: float) -> str:
    return f"{value:.1%}"


def _table(title: str, rows: dict[str, dict[str, Any]], flat_seconds: float | None) -> str:
    lines = [
        f"| {title} | cards | line CER | CER w/o diacritics | OCR field text | "
        "extraction exact | cards all right | s/card | vs flat | card found | "
        "corners <= 10 px | upright |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        ratio = f"{row['seconds_per_card'] / flat_seconds:.2f}x" if flat_seconds else "-"
        lines.append(
            f"| {name} | {row['cards']} | {_percent(row['line_cer'])} | "
            f"{_percent(row['line_cer_no_diacritics'])} | {_percent(row['ocr_field_text'])} | "
            f"{_percent(row['extraction_exact'])} | {_percent(row['cards_all_right'])} | "
            f"{row['seconds_per_card']:.2f} | {ratio} | {_percent(row['card_found'])} | "
            f"{_percent(row['card_corners_within_10px'])} | {_percent(row['upright'])} |"
        )
    return "\n".join(lines)


def _field_table(scores: list[CardScore], variants: list[str]) -> str:
    counts: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for score in scores:
        for key, right in score.extracted.items():
            counts[key][score.variant].append(right)
    header = "| field | " + " | ".join(variants) + " |"
    lines = [header, "|---|" + "---|" * len(variants)]
    for key in sorted(counts):
        cells = []
        for variant in variants:
            marks = counts[key].get(variant, [])
            cells.append(f"{sum(marks) / len(marks):.1%} ({len(marks)})" if marks else "-")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _source_table(scores: list[CardScore]) -> str:
    counts: dict[str, list[bool]] = defaultdict(list)
    for score in scores:
        for key, right in score.extracted.items():
            counts[score.sources[key] or "none"].append(right)
    lines = ["| source | fields | exact |", "|---|---|---|"]
    for source, marks in sorted(counts.items()):
        lines.append(f"| {source} | {len(marks)} | {sum(marks) / len(marks):.1%} |")
    return "\n".join(lines)


def run(cards: int, kinds: list[str], variants: list[str], progress: bool = True) -> dict:
    from id_card_scan.pipeline import Pipeline
    from id_card_scan.settings import load_settings

    qr_kinds = [kind for kind in kinds if kind in QR_KINDS]
    total = cards * (len(kinds) + len(qr_kinds)) * len(variants)
    done: list[CardScore] = []

    def score_all(score_kinds: list[str], **settings: object) -> list[CardScore]:
        # No LLM: the benchmark measures what the card itself gives (QR, MRZ, rules).
        pipeline = Pipeline.from_settings(load_settings(env_file=None, LLM_MODEL="", **settings))
        _score_card(pipeline, score_kinds[0], "flat", 1)  # warm-up: caches, arenas
        scores = []
        for index in range(cards):
            for kind in score_kinds:
                for variant in variants:
                    scores.append(_score_card(pipeline, kind, variant, SEED_BASE + index))
                    done.append(scores[-1])
                    if progress:
                        print(f"\r{len(done)}/{total}", end="", flush=True)
        pipeline.close()
        return scores

    scores = score_all(kinds)
    # The sides that carry a QR code again, read from their printed text alone.
    without_qr = score_all(qr_kinds, CARD_QR=False) if qr_kinds else []
    if progress:
        print()

    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_variant: dict[str, Tally] = defaultdict(Tally)
    by_kind_variant: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    for score in scores:
        by_kind[score.kind].add(score)
        by_variant[score.variant].add(score)
        if score.variant.startswith("phone:"):
            by_variant["phone (every turn)"].add(score)
        by_kind_variant[f"{score.kind} / {score.variant}"].add(score)
        overall.add(score)
    qr_rows: dict[str, Tally] = defaultdict(Tally)
    for label, group in (("with its QR", scores), ("printed text only", without_qr)):
        for score in group:
            if score.kind in qr_kinds:
                qr_rows[f"{score.kind}, {label}"].add(score)
                if score.variant.startswith("phone:"):
                    qr_rows[f"{score.kind} phone photos, {label}"].add(score)
    return {
        "scores": scores,
        "qr_sides": {name: tally.row() for name, tally in sorted(qr_rows.items())},
        "by_variant": {name: tally.row() for name, tally in by_variant.items()},
        "by_kind": {name: tally.row() for name, tally in by_kind.items()},
        "by_kind_variant": {name: tally.row() for name, tally in by_kind_variant.items()},
        "overall": overall.row(),
    }


def main() -> None:
    from id_card_scan.synth import CAPTURE_VARIANTS, CARD_KINDS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=6, help="holders per card kind")
    parser.add_argument("--kinds", default="all", help="comma-separated card kinds, or all")
    phone_turns = [f"phone:{turn}" for turn in (0, 90, 180, 270)]
    plain = [variant for variant in CAPTURE_VARIANTS if variant != "phone"]
    parser.add_argument("--variants", default=",".join(plain + phone_turns))
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    kinds = list(CARD_KINDS) if args.kinds == "all" else args.kinds.split(",")
    variants = args.variants.split(",")

    result = run(args.cards, kinds, variants)
    flat = result["by_variant"].get("flat", {}).get("seconds_per_card")
    variant_rows = {**result["by_variant"], "all": result["overall"]}
    tables = [
        _table("capture", variant_rows, flat),
        _table("card kind", result["by_kind"], None),
        "The sides with a QR code, read with it and from their printed text alone "
        "(`CARD_QR=false`):\n\n" + _table("side, source", result["qr_sides"], None),
        "Extraction exact per field and capture (fields scored):\n\n"
        + _field_table(result["scores"], variants),
        "Extraction exact by the source that answered:\n\n" + _source_table(result["scores"]),
        "<details><summary>Per card kind and capture</summary>\n\n"
        + _table("card kind / capture", result["by_kind_variant"], None)
        + "\n\n</details>",
    ]
    text = "\n\n".join(tables)
    print(text)
    if args.no_write:
        return
    meta = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "cards_per_kind": args.cards,
        "kinds": kinds,
        "variants": variants,
        "seed_base": SEED_BASE,
    }
    payload = {key: value for key, value in result.items() if key != "scores"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, **payload}, indent=2, ensure_ascii=False) + "\n")
    note = (
        f"_Run {meta['date']} on {meta['machine']} ({meta['cpus']} CPUs), no LLM, "
        f"{args.cards} holders per kind x {len(kinds)} kinds x {len(variants)} captures "
        "(seeds from 7000, never used in tests), command "
        "`.venv/bin/python -m bench.accuracy`._"
    )
    replace_section(DOC, "accuracy", "## Accuracy", f"{note}\n\n{text}")


if __name__ == "__main__":
    main()
