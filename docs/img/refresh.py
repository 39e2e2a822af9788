"""Refresh the pictures of the reports in README.md and docs/ from real renders of the shipped plan.

Needs the test tools (Playwright with the system Chromium, LibreOffice, poppler's pdftoppm):
``python docs/img/refresh.py``.  Look at the pictures before committing them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = "/usr/bin/chromium"

HTML_SHOTS = [
    # (file, plan, viewport width, height, element scrolled to the top or None)
    ("report-html.png", ROOT / "plan", 1400, 900, None),
    ("report-html-objective-3.png", ROOT / "plan", 1400, 900, "#objective-3"),
    ("report-html-phone.png", ROOT / "examples" / "monitoring", 390, 844, "#objective-3"),
    ("report-html-phone-progress.png", ROOT / "examples" / "monitoring", 390, 844, "#objective-3-progress"),
]
WORD_PAGES = [("report-docx.png", 1), ("report-docx-objective.png", 2)]
"""(file, page) of the Word report as LibreOffice prints it."""


def render(plan: Path, fmt: str, out: Path) -> None:
    from lgcb.checks.load import load_plan
    from lgcb.render import render as render_plan

    loaded = load_plan(plan)
    assert loaded.plan is not None, loaded.problems
    out.write_bytes(render_plan(loaded.plan, fmt))


def html_pictures(work: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, plan, width, height, anchor in HTML_SHOTS:
            page_file = work / f"{plan.name}.html"
            if not page_file.exists():
                render(plan, "html", page_file)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_file.as_uri())
            if anchor:
                page.evaluate(f"document.querySelector({anchor!r}).scrollIntoView()")
            page.screenshot(path=str(HERE / name))
            page.close()
            print(f"wrote {HERE / name}")
        browser.close()


def word_pictures(work: Path) -> None:
    docx = work / "report.docx"
    render(ROOT / "plan", "docx", docx)
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed for the Word pictures"
    profile = (work / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for name, number in WORD_PAGES:
        stem = work / f"page-{number}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
                str(work / "report.pdf"),
                str(stem),
            ],
            check=True,
        )
        shutil.copyfile(f"{stem}.png", HERE / name)
        print(f"wrote {HERE / name}")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        html_pictures(work)
        word_pictures(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
