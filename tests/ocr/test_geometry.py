import numpy as np

from id_card_scan.ocr.crops import crop_quad
from id_card_scan.ocr.detection import order_clockwise
from id_card_scan.ocr.reading_order import reading_order


def _box(x: float, y: float, w: float, h: float) -> np.ndarray:
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], dtype=np.float32)


def test_corners_are_ordered_clockwise_from_top_left() -> None:
    shuffled = np.array([[110, 52], [10, 40], [12, 20], [108, 30]], dtype=np.float32)
    ordered = order_clockwise(shuffled)
    assert ordered.tolist() == [[12, 20], [108, 30], [110, 52], [10, 40]]


def test_label_and_value_on_one_row_read_left_to_right() -> None:
    quads = [
        _box(300, 102, 200, 24),
        _box(20, 100, 250, 20),
        _box(20, 40, 400, 30),
        _box(20, 160, 90, 22),
    ]
    names = ["value", "label", "title", "next"]
    assert reading_order(names, quads) == ["title", "label", "value", "next"]


def test_slightly_tilted_row_stays_one_row() -> None:
    left = np.array([[20, 100], [200, 104], [200, 128], [20, 124]], dtype=np.float32)
    right = np.array([[220, 106], [400, 110], [400, 134], [220, 130]], dtype=np.float32)
    below = _box(20, 150, 100, 24)
    assert reading_order(["b", "r", "l"], [below, right, left]) == ["l", "r", "b"]


def test_crop_straightens_a_rotated_line() -> None:
    image = np.full((200, 300, 3), 255, dtype=np.uint8)
    quad = np.array([[50, 60], [250, 80], [247, 110], [47, 90]], dtype=np.float32)
    strip = crop_quad(image, quad)
    assert 195 <= strip.shape[1] <= 205 and 28 <= strip.shape[0] <= 32


def test_tall_crop_is_turned_to_read_horizontally() -> None:
    image = np.zeros((300, 100, 3), dtype=np.uint8)
    strip = crop_quad(image, _box(10, 10, 30, 200))
    assert strip.shape[1] > strip.shape[0]
