"""Plain data returned by the synthetic card generator."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

# Four (x, y) corners, clockwise from top-left, in pixel-edge coordinates: a pixel (i, j)
# spans [i, i + 1) x [j, j + 1), so a box touching the right edge has x == width.
QuadPoints = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class TextLine:
    """One printed line of text and the quad that tightly encloses its ink."""

    text: str
    quad: QuadPoints
    is_label: bool
    # Which ``SyntheticCard.fields`` key the line belongs to (None for headers and titles);
    # a value that wraps onto two lines gives two lines with the same key.
    field: str | None = None


@dataclass(frozen=True)
class SyntheticCard:
    """A rendered card (or a photo of one) with its ground truth."""

    image: Image.Image
    lines: list[TextLine]
    fields: dict[str, str]
    kind: str
    # The text encoded in the card's QR code, for kinds that print one on this side.
    qr_payload: str | None = field(default=None)
    # The card's machine-readable zone (three TD1 lines), for sides that print one.
    mrz: tuple[str, ...] | None = field(default=None)
    # The card's outline in this image (pixel-edge coordinates, clockwise from the top-left
    # corner of the card as printed, so a photo turned 180 degrees starts bottom-right).
    card_quad: QuadPoints | None = field(default=None)

    def field_text(self, key: str) -> str:
        """The text of all lines of one field joined by spaces, as it reads on the card."""
        return " ".join(line.text for line in self.lines if line.field == key and not line.is_label)
