"""Line crops from generated card photos, as the recognizer is trained and measured on."""

from __future__ import annotations

import itertools

from id_card_scan.synth import render_card
from id_card_scan.synth.lines import LINE_KINDS, card_line_samples, line_kind


def test_every_printed_line_of_a_photo_is_cut_with_its_text() -> None:
    samples = card_line_samples(7, kinds=["chip_cccd_front"], variant="phone", merge=0.0)
    card = render_card(seed=7, kind="chip_cccd_front")
    assert [s.text for s in samples] == [line.text for line in card.lines]
    for sample in samples:
        height, width = sample.image.shape[:2]
        assert sample.kind in LINE_KINDS
        # Upright, a line's box at the scale of its text (jitter grows it, mostly).
        assert height >= 4 and width >= height


def test_a_label_and_its_value_are_sometimes_cut_as_one_box() -> None:
    def merged(merge: float) -> int:
        count = 0
        for seed in range(4):
            samples = card_line_samples(seed, kinds=["cmnd_9_front"], merge=merge)
            lines = render_card(seed=seed, kind="cmnd_9_front").lines
            pairs = {f"{a.text} {b.text}" for a, b in itertools.pairwise(lines) if a.is_label}
            count += sum(sample.text in pairs for sample in samples)
        return count

    assert merged(1.0) > 0 and merged(0.0) == 0


def test_lines_are_told_by_what_they_hold() -> None:
    card = render_card(seed=3, kind="chip_cccd_back")
    kinds = {line_kind(line) for line in card.lines}
    assert {"label", "date", "mrz"} <= kinds
