"""Take the user guide's screenshots from the demo data (`make screenshots`).

Starts Vigil on a free localhost port with a throw-away data directory, loads the
demo data, signs in as the demo users (password, then the current TOTP code, as
`make demo-code` prints it) and saves one PNG per page in ``PAGES`` under
docs/img/, 1280x800, palette-reduced to stay small. Run it again after the
interface changes; docs/user-guide.md refers to these files by name.

    .venv/bin/python scripts/screenshots.py [--only NAME ...] [--incidents N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
VIEWPORT = {"width": 1280, "height": 800}
PASSWORD_LINE = re.compile(r"Demo password for every account: (\S+)")
SUBMIT = "main form button[type=submit]"


def _start_report(page: Any) -> None:
    """The reporter's first step: start a report to the demo organisation."""
    page.click(SUBMIT)


def _first_row(page: Any) -> None:
    """Open the first row of a list."""
    page.click("main table a")


def _new_incident(page: Any) -> None:
    """Start an incident in the wizard (the first step opens)."""
    page.click(SUBMIT)


@dataclass(frozen=True)
class Shot:
    image: str  # file name under docs/img/
    user: str | None  # demo user signed in, or None for the public pages
    path: str
    then: Callable[[Any], None] | None = None  # a step after opening the page
    language: str = "en"


PAGES: list[Shot] = [
    Shot("sign-in.png", None, "/accounts/login/"),
    Shot("home-caseworker.png", "svitlo-caseworker", "/"),
    Shot("home-coordinator.png", "svitlo-coordinator", "/"),
    Shot("home-lawyer.png", "svitlo-lawyer", "/"),
    Shot("home-analyst.png", "svitlo-analyst", "/"),
    Shot("inbox.png", "svitlo-caseworker", "/inbox/"),
    Shot("submission.png", "svitlo-caseworker", "/inbox/", _first_row),
    Shot("my-work.png", "svitlo-caseworker", "/my-work/"),
    Shot("wizard-basics.png", "svitlo-caseworker", "/incidents/new/", _new_incident),
    Shot("hotline.png", "svitlo-hotline", "/hotline/"),
    Shot("profile.png", "svitlo-lawyer", "/accounts/profile/"),
    Shot("directory.png", "svitlo-lawyer", "/complaints/bodies/"),
    Shot("directory-body.png", "svitlo-lawyer", "/complaints/bodies/?country=UA", _first_row),
    Shot("deadlines.png", "svitlo-lawyer", "/complaints/agenda/"),
    Shot("members.png", "svitlo-coordinator", "/accounts/org/members/"),
    Shot("audit-log.png", "svitlo-coordinator", "/accounts/org/audit/"),
    Shot("network-sharing.png", "svitlo-coordinator", "/stats/network/"),
    Shot("statistics.png", "svitlo-analyst", "/stats/"),
    Shot("advocacy-report.png", "svitlo-analyst", "/stats/report/"),
    Shot("alerts.png", "svitlo-caseworker", "/alerts/"),
    Shot("referrals.png", "svitlo-referral", "/referrals/"),
    Shot("engagement.png", "svitlo-coordinator", "/engagement/"),
    Shot("report-choose.png", None, "/report/", language="uk"),
    Shot("report-step.png", None, "/report/svitlo/", _start_report, language="uk"),
    Shot("report-status.png", None, "/report/status/", language="uk"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - localhost
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer at {url}")


def optimise(path: Path) -> None:
    """Screens have few colours: a 256-colour palette keeps the PNG small."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def sign_in(context: Any, base: str, user: str, password: str, env: dict[str, str]) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click(SUBMIT)
    page.fill("input[name=token]", manage(env, "demo_totp", user).strip())
    page.click(SUBMIT)
    page.wait_for_load_state()
    if "/accounts/" in page.url:
        raise RuntimeError(f"{user} could not sign in ({page.url})")
    page.close()


def take(shots: list[Shot], base: str, password: str, env: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        contexts: dict[tuple[str | None, str], Any] = {}
        for shot in shots:
            key = (shot.user, shot.language)
            if key not in contexts:
                context = browser.new_context(viewport=VIEWPORT, locale=shot.language)
                context.add_cookies(
                    [{"name": "django_language", "value": shot.language, "url": base}]
                )
                if shot.user:
                    sign_in(context, base, shot.user, password, env)
                contexts[key] = context
            page = contexts[key].new_page()
            page.goto(base + shot.path)
            if shot.then:
                shot.then(page)
                page.wait_for_load_state()
            target = OUT / shot.image
            page.screenshot(path=str(target))
            optimise(target)
            print(f"{target.relative_to(ROOT)}  ({target.stat().st_size // 1024} KB)")
            page.close()
        browser.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="image names to retake (default: all)")
    parser.add_argument("--incidents", type=int, default=0, help="demo incidents per organisation")
    options = parser.parse_args(argv)
    shots = [s for s in PAGES if not options.only or s.image in options.only]
    with tempfile.TemporaryDirectory(prefix="vigil-screens-") as var_dir:
        env = {
            **os.environ,
            "DEBUG": "1",
            "SECURE_COOKIES": "0",
            "VIGIL_VAR_DIR": var_dir,
            "DATABASE_URL": f"sqlite:///{var_dir}/vigil.sqlite3",
        }
        env.pop("VIGIL_TESTING", None)
        manage(env, "migrate", "--noinput")
        demo = ["demo_data"] + (
            ["--incidents", str(options.incidents)] if options.incidents else []
        )
        found = PASSWORD_LINE.search(manage(env, *demo))
        if found is None:
            raise RuntimeError("demo_data printed no demo password")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"{base}/accounts/login/")
            take(shots, base, found.group(1), env)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
