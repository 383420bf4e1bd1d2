"""A real headless Chromium (Debian's ``chromium`` + ``chromium-driver``) for the
picture tests, and pixel checks shared by the HTML and PNG tests.

``bash scripts/dev.sh test`` installs Chromium when it is missing. Without it
the browser tests are skipped with the reason, except under CI, where they fail.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
)


@dataclass
class Page:
    """What the browser saw: JS errors, the drawn node labels, the page text, the graph's pixels."""

    ready: bool
    errors: list[str]
    labels: list[str] | None
    text: str
    graph: Any  # PIL.Image of the graph area


def ink(img: Any, background: tuple[int, int, int] = (255, 255, 255), tol: int = 40) -> int:
    """How many pixels differ from the background by more than ``tol`` in some channel."""
    data = img.convert("RGB").tobytes()
    r0, g0, b0 = background
    return sum(
        1
        for i in range(0, len(data), 3)
        if abs(data[i] - r0) > tol or abs(data[i + 1] - g0) > tol or abs(data[i + 2] - b0) > tol
    )


def near(img: Any, colour: str, tol: int = 30) -> int:
    """How many pixels are within ``tol`` (per channel) of a ``#rrggbb`` colour."""
    c = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    data = img.convert("RGB").tobytes()
    r0, g0, b0 = c
    return sum(
        1
        for i in range(0, len(data), 3)
        if abs(data[i] - r0) <= tol and abs(data[i + 1] - g0) <= tol and abs(data[i + 2] - b0) <= tol
    )


@pytest.fixture(scope="module")
def ladybug(fixture_kg: Path) -> Iterator[Any]:
    """The fixture graph's LadybugDB store, read-only."""
    from kg.stores import open_store

    with open_store(f"ladybug:{fixture_kg / 'ladybug.lbug'}") as st:
        yield st


@pytest.fixture(scope="session")
def chrome() -> Iterator[Any]:
    """A headless Chromium driven by chromedriver, with a fresh profile."""
    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver_path:
        msg = "Debian's chromium and chromium-driver are not installed (bash scripts/dev.sh test installs them)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    profile = tempfile.mkdtemp(prefix="medkg-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def open_page(chrome: Any) -> Callable[..., Page]:
    """``open_page(path, timeout=60)``: load a file, wait for the graph to be drawn, look at it."""
    from PIL import Image
    from selenium.webdriver.common.by import By

    def _open(path: Path, timeout: float = 60) -> Page:
        chrome.get_log("browser")  # drop what earlier pages logged
        chrome.get(path.resolve().as_uri())
        deadline = time.monotonic() + timeout
        ready = False
        while time.monotonic() < deadline:
            ready = chrome.execute_script("return document.body && document.body.getAttribute('data-ready')") == "yes"
            if ready:
                break
            time.sleep(0.1)
        errors = [e["message"] for e in chrome.get_log("browser") if e["level"] == "SEVERE"]
        labels = chrome.execute_script(
            "return window.medkgNetwork ? window.medkgNetwork.body.data.nodes.get().map(function (n) { return n.label; }) : null"
        )
        text = chrome.find_element(By.TAG_NAME, "body").text
        shot = Image.open(io.BytesIO(chrome.get_screenshot_as_png()))
        graphs = chrome.find_elements(By.ID, "graph")
        if graphs:
            r = graphs[0].rect
            ratio = chrome.execute_script("return window.devicePixelRatio") or 1
            box = tuple(int(v * ratio) for v in (r["x"], r["y"], r["x"] + r["width"], r["y"] + r["height"]))
            shot = shot.crop(box)
        return Page(ready, errors, labels, text, shot)

    return _open


@pytest.fixture
def pixels() -> Any:
    """The pixel checks (``pixels.ink(img)``, ``pixels.near(img, colour)``) for test modules."""

    class _Pixels:
        ink = staticmethod(ink)
        near = staticmethod(near)

    return _Pixels


@pytest.fixture
def assert_drawn(pixels: Any) -> Callable[..., None]:
    """``assert_drawn(img, colours)``: the picture is not blank and shows each node colour."""

    def _check(img: Any, colours: list[str], min_ink: int = 3000) -> None:
        w, h = img.size
        drawn = pixels.ink(img)
        assert drawn >= min_ink, f"picture looks blank: {drawn} of {w * h} pixels drawn"
        for c in colours:
            assert pixels.near(img, c) >= 100, f"no node drawn in {c}"

    return _check
