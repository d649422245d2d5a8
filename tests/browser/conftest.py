"""Real-browser tests: Playwright driving Debian's chromium (never a downloaded browser).
Without /usr/bin/chromium the tests are skipped, loudly: the marker file makes scripts/run-tests print it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("YIYUN_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-quic", "--no-first-run"]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _skip_loudly(reason: str):
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-skipped").write_text(reason + "\n")
    print(f"\n!!! BROWSER TESTS SKIPPED: {reason}\n")  # noqa: T201
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        _skip_loudly(f"{CHROMIUM} not found (install Debian's chromium: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_loudly("playwright is not installed")
    marker = ARTIFACTS / "browser-skipped"
    if marker.exists():
        marker.unlink()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a common phone (390×844), Chinese locale."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def shot(page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base: str, user, next_path: str, password: str | None = None) -> None:
    """Log `user` in through the login form and wait for the page it was going to."""
    from tests.factories import PASSWORD

    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_phone", user.phone)
    page.fill("#id_password", password or PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"**{next_path}**")
