"""Chromium ``document.body.innerText`` scrapes of the corpus pages, cached on disk.

    python benchmarks/innertext.py CORPUS_DIR CACHE_DIR [--chromium /usr/bin/chromium]

For every ``<dataset>/html/<id>.html`` under CORPUS_DIR (a dataset folder, or a folder of
dataset folders) writes ``CACHE_DIR/<dataset>/<id>.txt``: what select-all-and-copy gives in a
desktop browser window (1280×800). The page is loaded offline: every request is refused, so no
stylesheet, image or script from the web is loaded, and the page's own scripts do not run
(deterministic; ``<noscript>`` content shows, as it does for a reader without JavaScript).
Existing files are kept, so a second run only scrapes new pages.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def datasets(corpus: Path) -> list[Path]:
    """The dataset folders (holding ``html/`` and ``ground-truth.json``) in ``corpus``."""
    if (corpus / "ground-truth.json").exists():
        return [corpus]
    return sorted(path.parent for path in corpus.glob("*/ground-truth.json"))


def scrape_all(corpus: Path, cache: Path, chromium: str) -> int:
    """Scrape every page of ``corpus`` not yet in ``cache``; the number scraped."""
    from playwright.sync_api import sync_playwright

    todo = [
        (page, cache / folder.name / f"{page.stem}.txt")
        for folder in datasets(corpus)
        for page in sorted((folder / "html").glob("*.html"))
    ]
    todo = [(page, out) for page, out in todo if not out.exists()]
    if not todo:
        return 0
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": 1280, "height": 800}
        )
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        for number, (path, out) in enumerate(todo, start=1):
            html = path.read_text(encoding="utf-8", errors="replace")
            try:
                page.set_content(html, wait_until="domcontentloaded", timeout=30_000)
                text = page.evaluate("document.body ? document.body.innerText : ''")
            except Exception as exc:
                print(f"{path}: {exc}")
                page.close()
                page = context.new_page()
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(str(text), encoding="utf-8")
            if number % 50 == 0:
                print(f"{number}/{len(todo)}", flush=True)
        browser.close()
    return len(todo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    print(f"{scrape_all(args.corpus, args.cache, args.chromium)} pages scraped")


if __name__ == "__main__":
    main()
