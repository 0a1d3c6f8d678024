"""The try-it page in a real headless Chromium (Debian's), against the running service."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from id_card_scan.synth import capture, render_card
from tests.app.conftest import Server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root in a sandbox, and no calls home: this machine has no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    opened.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith((server.url, "blob:", "data:")) else None
        ),
    )
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert outside == [], "the page loaded something from elsewhere"
    assert errors == []


@pytest.fixture(scope="module")
def card_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    card = capture(render_card(seed=61, kind="chip_cccd_front"), seed=61, variant="camera")
    path = tmp_path_factory.mktemp("page") / "cccd.jpg"
    card.image.save(path, quality=90)
    return path


def test_ocr_draws_the_boxes_and_hover_shows_text(
    page: Page, server: Server, card_file: Path
) -> None:
    page.goto(server("/"))
    assert page.title().startswith("id-card-scan")
    page.set_input_files("#file-input", str(card_file))
    page.click("#run-ocr")
    page.wait_for_selector("svg polygon", timeout=60_000)
    assert page.locator("svg polygon").count() >= 10
    # Every box is drawn over the picture, not beside it.
    picture = page.locator(".figure img").bounding_box()
    assert picture is not None
    for index in range(page.locator("svg polygon").count()):
        box = page.locator("svg polygon").nth(index).bounding_box()
        assert box is not None
        assert (
            picture["x"] - 1 <= box["x"]
            and box["x"] + box["width"] <= picture["x"] + picture["width"] + 1
        )
        assert (
            picture["y"] - 1 <= box["y"]
            and box["y"] + box["height"] <= picture["y"] + picture["height"] + 1
        )
    # The first line listed is the first box's, the national header at the top (glare
    # on this camera shot may cost it a letter), and hovering the box shows its text.
    first_line = page.locator("ol.lines li").first.inner_text()
    assert "HÒA XÃ HỘI CHỦ NGHĨA" in first_line
    page.locator("svg polygon").first.hover()
    assert page.locator("#tooltip").is_visible()
    assert first_line.rsplit(" ", 1)[0] in page.locator("#tooltip").inner_text()
    assert "ocr processing completed" in page.locator("#status").inner_text().lower()
    assert '"detection_ms"' in (page.locator("#raw-json").text_content() or "")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "try-it-ocr.png"), full_page=True)


def test_extract_shows_every_requested_field(page: Page, server: Server, card_file: Path) -> None:
    page.goto(server("/id_card_scan/"))
    assert page.locator("#fields-table tbody tr").count() == 8  # the default fields
    page.click("#add-field")
    page.locator("#fields-table tbody tr").last.locator("input").first.fill("phone")
    page.locator("#fields-table tbody tr").last.locator("input").nth(1).fill("Số điện thoại")
    page.set_input_files("#file-input", str(card_file))
    page.click("#run-extract")
    page.wait_for_selector("#fields-result tbody tr", timeout=60_000)
    rows = page.locator("#fields-result tbody tr")
    assert rows.count() == 9
    assert page.locator('#fields-result tr[data-field="phone"]').count() == 1
    # No LLM in this service: the chip card's QR code answers what it carries, a field
    # printed on no card says it needs the LLM.
    card = capture(render_card(seed=61, kind="chip_cccd_front"), seed=61, variant="camera")
    id_row = page.locator('#fields-result tr[data-field="id_number"]').inner_text()
    assert card.fields["id_number"] in id_row and "qr" in id_row
    assert "NO_EXTRACTOR" in page.locator('#fields-result tr[data-field="phone"]').inner_text()
    assert page.locator("svg polygon").count() >= 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "try-it-extract.png"), full_page=True)


def test_wrong_token_and_no_image_are_said_plainly(
    browser: Browser, secured_server: Server, card_file: Path
) -> None:
    page = browser.new_page()
    page.goto(secured_server("/"))
    page.click("#run-ocr")
    assert "Choose at least one image" in page.locator("#status").inner_text()
    page.set_input_files("#file-input", str(card_file))
    page.fill("#token", "wrong")
    page.click("#run-ocr")
    # Not wait_for_function: a string evaluated in the page is what the page's CSP forbids.
    expect(page.locator("#status")).to_contain_text("UNAUTHORIZED")
    page.close()


def test_usable_on_a_phone_screen(browser: Browser, server: Server, card_file: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(server("/"))
    page.set_input_files("#file-input", str(card_file))
    page.click("#run-ocr")
    page.wait_for_selector("svg polygon", timeout=60_000)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    for control in ("#file-input", "#camera-input", "#token", "#mode"):
        label = page.locator(f'label[for="{control[1:]}"]')
        assert label.count() == 1 and label.inner_text().strip()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "try-it-phone.png"), full_page=True)
    context.close()
