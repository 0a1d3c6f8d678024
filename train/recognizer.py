"""Fine-tune the Vietnamese line recognizer on the lines of generated card photos.

    .venv/bin/pip install '.[train]'
    .venv/bin/python -m train.recognizer --out runs/card-rec --minutes 110 [--resume]
    .venv/bin/python -m train.recognizer --out runs/card-rec --export-only

The starting point is trueocr's recognizer (Apache-2.0, shipped in the trueocr wheel),
whose 229 classes already hold every Vietnamese letter with every tone: its ONNX graph is
turned into a PyTorch module (onnx2torch), trained with CTC on line crops cut from
generated card photos (:mod:`id_card_scan.synth.lines`: every card generation and side,
every capture, the detector's imprecision), and its weights written back into a copy of
the same graph. The exported folder (``rec.onnx`` + ``meta.json``) is read by the
service's trueocr-format engine, unchanged pre- and post-processing included.

Runs in chunks: a checkpoint is written every ``--save-every`` steps and when the time
is up, and ``--resume`` goes on from it with the same data stream (workers are seeded by
step). On two CPU cores a chunk of 110 minutes is a few thousand small batches; a GPU
(``--device cuda``) does the same in minutes. Torch and onnx2torch come from the
``train`` extra and are never needed to run the service.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import time
import types
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from id_card_scan.ocr.recognition.trueocr import ink_map, packaged_trueocr_model

SEED = 20261204
HELD_OUT_SEED = 10_000_000  # validation cards: seeds no training worker draws
LOGITS = "/rec/Transpose_output_0"  # the graph's per-step class scores, before decoding
STRIDE = 4  # input columns per output step (lengths = ceil(width / 4))


# --------------------------------------------------------------------------- the model


def _import_onnx2torch() -> Any:
    try:
        import onnx2torch
    except (ImportError, RuntimeError):
        # onnx2torch imports torchvision for detection ops a recognizer does not use; a
        # missing one, or one built for another torch, must not stop the conversion.
        stub = types.ModuleType("torchvision")
        stub.__path__ = []  # type: ignore[attr-defined]
        ops = types.ModuleType("torchvision.ops")
        ops.nms = ops.batched_nms = ops.roi_align = None  # type: ignore[attr-defined]
        stub.ops = ops  # type: ignore[attr-defined]
        sys.modules["torchvision"], sys.modules["torchvision.ops"] = stub, ops
        for name in [n for n in sys.modules if n.startswith("onnx2torch")]:
            del sys.modules[name]
        import onnx2torch
    return onnx2torch


def logits_graph(model: Any) -> Any:
    """The recognizer graph cut at its class scores, in the form onnx2torch converts:
    the output lengths' clip as a Min, constant clip bounds as initializers."""
    import onnx
    from onnx import helper, numpy_helper
    from onnx.utils import Extractor

    inferred = onnx.shape_inference.infer_shapes(model)
    cut = Extractor(inferred).extract_model(["x", "widths"], [LOGITS])
    graph = cut.graph
    constants = {node.output[0]: node for node in graph.node if node.op_type == "Constant"}
    known = {init.name for init in graph.initializer}
    for index, node in enumerate(list(graph.node)):
        if node.op_type != "Clip":
            continue
        if len(node.input) == 3 and node.input[2] and node.input[2] not in {*constants, *known}:
            # clip(x, max=dynamic) is min(x, max)
            graph.node.remove(node)
            graph.node.insert(
                index, helper.make_node("Min", [node.input[0], node.input[2]], list(node.output))
            )
            continue
        for name in node.input[1:]:
            if name in constants and name not in known:
                value = numpy_helper.to_array(constants[name].attribute[0].t)
                graph.node.remove(constants.pop(name))
                graph.initializer.append(numpy_helper.from_array(value, name))
                known.add(name)
        while node.input and node.input[-1] == "":
            node.input.pop()
    onnx.checker.check_model(cut)
    return cut


def load_base(folder: Path) -> tuple[Any, Any, dict[str, Any]]:
    """(the trainable PyTorch module, the full ONNX graph, meta.json) of a model folder."""
    import onnx

    model = onnx.load(str(folder / "rec.onnx"))
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    net = _import_onnx2torch().convert(logits_graph(model))
    return net, model, meta


def export(net: Any, model: Any, meta: dict[str, Any], out: Path, name: str) -> Path:
    """Write the trained weights into a copy of the base graph: ``out/rec.onnx`` and
    ``out/meta.json``, a folder the service's trueocr-format engine reads."""
    import onnx
    from onnx import numpy_helper

    trained = copy.deepcopy(model)
    by_name = {init.name: init for init in trained.graph.initializer}
    modules = dict(net.named_modules())
    roles = {"Conv": ("weight", "bias"), "BatchNormalization": ("weight", "bias",
             "running_mean", "running_var")}  # fmt: skip
    written = 0
    for node in trained.graph.node:
        if node.op_type not in roles:
            continue
        module = modules[node.name.lstrip("/").replace(".", "/")]
        for attribute, source in zip(roles[node.op_type], node.input[1:], strict=False):
            value = getattr(module, attribute, None)
            if value is None or source not in by_name:
                continue
            array = value.detach().float().cpu().numpy().astype(np.float32)
            by_name[source].CopyFrom(numpy_helper.from_array(array, source))
            written += 1
    if written == 0:
        raise RuntimeError("no weights were written back: the graph's layout is not the base's")
    out.mkdir(parents=True, exist_ok=True)
    onnx.save(trained, str(out / "rec.onnx"))
    _check_export(net, out / "rec.onnx")
    (out / "meta.json").write_text(
        json.dumps({**meta, "name": name}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return out


def _check_export(net: Any, path: Path) -> None:
    """The exported graph decodes as the trained module does (same best class)."""
    import onnxruntime as ort
    import torch

    rng = np.random.default_rng(SEED)
    x = (rng.random((4, 1, 96, 328)) > 0.9).astype(np.float32)
    widths = np.array([320, 256, 200, 96], np.int64)
    net.eval()
    with torch.no_grad():
        expected = net(torch.from_numpy(x), torch.from_numpy(widths)).argmax(-1).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (ids,) = session.run(["ids"], {"x": x, "widths": widths})
    agree = float((ids == expected[:, : ids.shape[1]]).mean())
    if agree < 0.99:
        raise RuntimeError(f"the exported model disagrees with the trained one ({agree:.3f})")


# --------------------------------------------------------------------------- the data


def encode(text: str, index: dict[str, int]) -> list[int] | None:
    """Class ids of ``text`` (NFC; runs of spaces as one); None if a character has none."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    ids = [index.get(char) for char in text]
    return None if not ids or any(i is None for i in ids) else ids  # type: ignore[return-value]


Sample = tuple[np.ndarray, list[int], str]  # ink map, class ids, kind of line


def samples(seed: int, meta: dict[str, Any], index: dict[str, int]) -> list[Sample]:
    """(ink map, class ids, line kind) of every line of generated card ``seed``."""
    from id_card_scan.synth.lines import card_line_samples

    out = []
    for sample in card_line_samples(seed):
        ids = encode(sample.text, index)
        if ids is None:
            continue
        gray = _augment(sample.image, np.random.default_rng([seed, len(out)]))
        ink = ink_map(gray, pad_x=meta.get("pad_x", 0.3), pad_y=meta.get("pad_y", 0.2),
                      max_width=meta.get("max_width", 768))  # fmt: skip
        if math.ceil(ink.shape[1] / STRIDE) >= 2 * len(ids) + 1:  # CTC needs the room
            out.append((ink, ids, sample.kind))
    return out


def _augment(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A line crop as gray, with what photos add beyond the capture's: contrast, blur,
    resampling."""
    import cv2

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    if rng.random() < 0.5:
        low, high = np.percentile(gray, (2, 98))
        target_low, target_high = rng.uniform(0, 90), rng.uniform(160, 255)
        gray = (gray - low) / max(high - low, 1.0) * (target_high - target_low) + target_low
    if rng.random() < 0.25:
        gray = cv2.GaussianBlur(gray, (0, 0), rng.uniform(0.4, 1.1))
    if rng.random() < 0.25 and gray.shape[0] > 12:
        factor = rng.uniform(0.4, 0.8)
        small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        gray = cv2.resize(small, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return np.clip(gray, 0, 255).astype(np.uint8)


def make_dataset(meta: dict[str, Any], start_step: int, batch: int) -> Any:
    import torch

    index = {char: i + 1 for i, char in enumerate(meta["charset"])}

    class Lines(torch.utils.data.IterableDataset):
        """An endless stream of training lines; each worker draws its own cards."""

        def __iter__(self) -> Any:
            info = torch.utils.data.get_worker_info()
            worker, workers = (info.id, info.num_workers) if info else (0, 1)
            card = start_step * batch // 12 * workers + worker  # ~12 lines a card
            while True:
                yield from samples(SEED + card, meta, index)
                card += workers

    return Lines()


def collate(items: list[Sample]) -> dict[str, Any]:
    import torch

    width = math.ceil(max(ink.shape[1] for ink, _, _ in items) / 8) * 8
    x = np.zeros((len(items), 1, items[0][0].shape[0], width + 8), np.float32)
    for slot, (ink, _, _) in enumerate(items):
        x[slot, 0, :, : ink.shape[1]] = ink
    widths = torch.tensor([ink.shape[1] for ink, _, _ in items], dtype=torch.int64)
    return {
        "x": torch.from_numpy(x),
        "widths": widths,
        "targets": torch.tensor([i for _, ids, _ in items for i in ids], dtype=torch.int64),
        "target_lengths": torch.tensor([len(ids) for _, ids, _ in items], dtype=torch.int64),
        "texts": [ids for _, ids, _ in items],
        "kinds": [kind for _, _, kind in items],
    }


def held_out(meta: dict[str, Any], cards: int) -> list[Sample]:
    index = {char: i + 1 for i, char in enumerate(meta["charset"])}
    return [item for card in range(cards) for item in samples(HELD_OUT_SEED + card, meta, index)]


# --------------------------------------------------------------------------- training


def greedy(logits: Any, widths: Any) -> list[list[int]]:
    ids = logits.argmax(-1).cpu().numpy()
    lengths = ((widths + STRIDE - 1) // STRIDE).cpu().numpy()
    out = []
    for row, length in zip(ids, lengths, strict=True):
        row = row[:length]
        keep = row != 0
        keep[1:] &= row[1:] != row[:-1]
        out.append(row[keep].tolist())
    return out


def edit_distance(a: list[int], b: list[int]) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def evaluate(net: Any, lines: list[Any], device: str) -> dict[str, float]:
    """Character error rate on held-out lines, overall and per kind of line."""
    import torch

    net.eval()
    errors: dict[str, list[int]] = {}
    with torch.no_grad():
        for start in range(0, len(lines), 64):
            batch = collate(lines[start : start + 64])
            logits = net(batch["x"].to(device), batch["widths"].to(device)).float()
            for guess, truth, kind in zip(
                greedy(logits, batch["widths"]), batch["texts"], batch["kinds"], strict=True
            ):
                for key in (kind, "all"):
                    edits, chars = errors.setdefault(key, [0, 0])
                    errors[key] = [edits + edit_distance(guess, truth), chars + len(truth)]
    _train_mode(net)
    return {kind: round(edits / max(chars, 1), 4) for kind, (edits, chars) in errors.items()}


def _train_mode(net: Any) -> None:
    """Training mode with batch normalisation frozen: its statistics are the base model's,
    gathered on real text; generated cards' own would shift every real reading."""
    import torch

    net.train()
    for module in net.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.eval()


def train(args: argparse.Namespace) -> None:
    import torch

    torch.manual_seed(SEED)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = Path(args.base) if args.base else packaged_trueocr_model()
    net, model, meta = load_base(base)
    device = args.device
    net.to(device)
    _train_mode(net)
    start = [p.detach().clone() for p in net.parameters()]
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=0.0)
    step = 0
    checkpoint = out / "checkpoint.pt"
    if args.resume and checkpoint.is_file():
        state = torch.load(checkpoint, map_location=device, weights_only=False)
        net.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step = state["step"]
        print(f"resumed at step {step}", flush=True)
    validation = held_out(meta, args.held_out_cards)
    if args.export_only:
        export(net.cpu(), model, meta, out / "model", args.name)
        return
    print(
        f"held-out lines: {len(validation)}; CER before: {evaluate(net, validation, device)}",
        flush=True,
    )
    loader = torch.utils.data.DataLoader(
        make_dataset(meta, step, args.batch),
        batch_size=args.batch,
        num_workers=args.workers,
        collate_fn=collate,
        persistent_workers=args.workers > 0,
        prefetch_factor=4 if args.workers > 0 else None,
    )
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    started = time.monotonic()
    deadline = started + args.minutes * 60
    log = out / "log.jsonl"

    def save() -> None:
        torch.save({"model": net.state_dict(), "optimizer": optimizer.state_dict(), "step": step},
                   checkpoint)  # fmt: skip

    for batch in loader:
        if step >= args.steps or time.monotonic() > deadline:
            break
        lr = args.lr * min(1.0, (step + 1) / args.warmup)
        lr *= 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / max(args.steps, 1))))
        for group in optimizer.param_groups:
            group["lr"] = lr
        with torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16,
                            enabled=device.startswith("cuda")):  # fmt: skip
            logits = net(batch["x"].to(device), batch["widths"].to(device))
        log_probs = logits.float().log_softmax(-1).transpose(0, 1)
        lengths = (batch["widths"] + STRIDE - 1) // STRIDE
        loss = ctc(log_probs, batch["targets"], lengths, batch["target_lengths"])
        if args.anchor:
            # Stay near the starting weights (L2-SP): what the base model learnt from its
            # own, broader data must outlive a fine-tuning on generated cards.
            drift = sum(
                ((p - p0) ** 2).sum() for p, p0 in zip(net.parameters(), start, strict=True)
            )
            loss = loss + args.anchor * drift
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        optimizer.step()
        step += 1
        if step % args.log_every == 0:
            record = {"step": step, "loss": round(float(loss), 4), "lr": lr,
                      "minutes": round((time.monotonic() - started) / 60, 2)}  # fmt: skip
            if step % (args.log_every * 10) == 0:
                record["cer"] = evaluate(net, validation, device)
            print(json.dumps(record), flush=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")
        if step % args.save_every == 0:
            save()
    save()
    final = evaluate(net, validation, device)
    print(json.dumps({"step": step, "final_cer": final}), flush=True)
    export(net.cpu(), model, meta, out / "model", args.name)
    print(f"exported {out / 'model'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="run folder: checkpoint, log, model/")
    parser.add_argument("--base", default="", help="model folder to start from (trueocr's)")
    parser.add_argument("--name", default="id-card-scan-vi-card-r1")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--minutes", type=float, default=110.0)
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--anchor", type=float, default=0.0, help="L2-SP weight to the start")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--held-out-cards", type=int, default=40)
    parser.add_argument("--log-every", type=int, default=20)
    parser.add_argument("--save-every", type=int, default=500)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--export-only", action="store_true")
    train(parser.parse_args())


if __name__ == "__main__":
    main()
