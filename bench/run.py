"""`make bench`: generate a catalog, measure validation, the full build, a one-entry rebuild, the preview's
reload, page and search bytes — and the same Markdown built by stock mkdocs-material (and Zensical).

    python bench/run.py [--size 10000] [--seed 1] [--repeat 3] [--skip PART …] [--out bench/results/run-<date>.json]

Every command runs in a child process measured by bench/measure.py (wall time, peak memory of the whole
process tree). Cold full builds, ours and the baseline's, alternate `--repeat` times; figures are medians.
The baseline is the docs tree our build writes (`.juli/docs`), built with mkdocs-material's own search
(`lang: zh`) and our navigation (section pages only — see the README for why catalog pages stay out).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import lighthouse, measure, static_server  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.validate import bench_validate  # noqa: E402

PARTS = ("validate", "build", "rebuild", "serve", "search", "quality", "lighthouse", "baseline", "zensical")

_BUILD = r"""
import json, sys
from pathlib import Path
from generator.build import build
result = build(Path(sys.argv[1]))
html = result.html
print(json.dumps({"timings": result.timings, "written": result.written,
                  "html": {"mkdocs_pages": html.mkdocs_pages, "shell_pages": html.shell_pages,
                           "shell_pages_rewritten": html.shell_rendered, "shells": len(html.shells)} if html else None}))
"""

_SEARCH = r"""
import json, sys
from playwright.sync_api import sync_playwright
url, queries = sys.argv[1], sys.argv[2:]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page()
    loaded, started = [], []
    page.on("request", lambda r: started.append(r.url))
    page.on("requestfinished", lambda r: loaded.append((r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])))
    page.on("requestfailed", lambda r: loaded.append((r.url, 0)))

    def settle():  # every request started so far has finished and been counted
        while len(loaded) < len(started):
            page.wait_for_timeout(20)

    page.goto(url + "search/")
    page.wait_for_load_state("networkidle")
    settle()
    steps = [0]  # the first query counts from the page's load: the search page loads the index when its box takes focus
    for query in queries:
        page.fill("#juli-search-q", query)
        page.locator(".juli-search__status").filter(has_text=query).wait_for(timeout=60000)
        settle()
        steps.append(len(loaded))
    print(json.dumps([loaded[a:b] for a, b in zip(steps, steps[1:])]))
    browser.close()
"""

_QUALITY = r"""
import json, sys
from pathlib import Path
from playwright.sync_api import sync_playwright
sys.path.insert(0, sys.argv[3])
from bench import search_quality
url, root = sys.argv[1], Path(sys.argv[2])
sets = {"tuned": search_quality.queries(), "held_out": search_quality.queries(search_quality.HELD_OUT)}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page()
    page.goto(url + "search/")
    page.wait_for_function("window.juliSearch !== undefined")
    answers = {name: search_quality.run(page, [q["q"] for q in queries]) for name, queries in sets.items()}
    browser.close()
items = search_quality.items(root, root / "site")
print(json.dumps({name: search_quality.score(queries, items, answers[name]) for name, queries in sets.items()},
                 ensure_ascii=False))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def page_bytes(site: Path, entry_page: str) -> dict:
    pages = {"home": "index.html", "entry": f"{entry_page}index.html", "listing": "directory/index.html"}
    return {name: (site / rel).stat().st_size if (site / rel).is_file() else None for name, rel in pages.items()}


def pick_entry(catalog: Path) -> tuple[Path, str]:
    """A service of a mid-catalog organization, and the URL path of its page."""
    orgs = sorted((catalog / "catalog" / "organizations").iterdir())
    org = orgs[len(orgs) // 2]
    service = sorted((org / "services").glob("*.yml"))[0]
    return service, f"directory/{org.name}/{service.stem}/"


def edit_entry(path: Path, marker: str) -> None:
    """Change one entry's summary, the way a contributor would."""
    text = path.read_text("utf-8")
    lines = [(f"summary: {marker}" + line.partition(":")[2].strip()[:100]) if line.startswith("summary:") else line
             for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def wait_for(url: str, needle: str | None, timeout: float) -> float | None:
    """Seconds until `url` answers (and contains `needle`), or None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8", "replace")
            if needle is None or needle in body:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.1)
    return None


def measure_build(catalog: Path) -> dict:
    run = measure.run([sys.executable, "-c", _BUILD, catalog], cwd=ROOT)
    data = json.loads(run.out.strip().splitlines()[-1])
    files, size = tree_size(catalog / "site")
    return {"seconds": round(run.wall, 2), "peak_mb": round(run.peak_mb), "largest_process_mb": round(run.largest_mb),
            "process_tree_mb": round(run.summed_mb), "site_files": files,
            "site_mb": round(size / 2**20, 1), "stages": {k: round(v, 2) for k, v in data["timings"].items()},
            "docs_files_written": data["written"], "html": data.get("html")}


def measure_serve(catalog: Path, service: Path, entry_page: str, timeout: float) -> dict:
    port = free_port()
    proc = subprocess.Popen([measure.tool("juli"), "serve", "--root", str(catalog), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/{entry_page}"
        first = wait_for(url, None, timeout)
        if first is None:
            return {"error": f"preview did not answer within {timeout} s"}
        time.sleep(2)  # let the watcher settle after the first build
        marker = f"预览修改{int(time.time())}"
        edit_entry(service, marker)
        reload = wait_for(url, marker, timeout)
        return {"first_build_seconds": round(first, 1),
                "reload_seconds": round(reload, 2) if reload is not None else f"> {timeout}"}
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def measure_search(site: Path, queries: list[str]) -> dict:
    """What the search page downloads (bodies and headers) for the first query, which loads the index's
    table of contents and the lexicon, and for each later one: as a host configured like
    docs/contributing/deploy.md sends it (the precompressed files), and as a plain server sends it."""
    figures = {"queries": queries}
    for precompressed, suffix in ((True, ""), (False, "_uncompressed")):
        with static_server.serving(site, precompressed) as base:
            done = subprocess.run([sys.executable, "-c", _SEARCH, base, *queries], capture_output=True, text=True,
                                  timeout=300)
        if done.returncode != 0:
            return {"error": done.stderr[-500:]}
        steps = json.loads(done.stdout)
        searched = [[(u, n) for u, n in step if "/search-index/" in u or "/assets/search/" in u] for step in steps]
        figures |= {f"first_query_bytes{suffix}": sum(n for _, n in searched[0]),
                    f"first_query_requests{suffix}": len(searched[0]),
                    f"later_query_bytes{suffix}": [sum(n for _, n in step) for step in searched[1:]],
                    f"later_query_requests{suffix}": [len(step) for step in searched[1:]]}
    return figures


def measure_quality(work: Path) -> dict:
    """recall@10 and MRR of the query set (tests/search_queries.yml) and of the held-out set
    (bench/search_heldout.yml) on a build of the shipped catalog, in Chromium through the search page's own
    code: the relevance judgements are about its entries."""
    discard(work)
    for name in ("catalog", "cases", "docs", "overrides"):
        shutil.copytree(ROOT / name, work / name)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    measure.run([measure.tool("juli"), "build", "--root", str(work)], cwd=ROOT)
    with static_server.serving(work / "site", precompressed=False) as base:
        done = subprocess.run([sys.executable, "-c", _QUALITY, base, str(work), str(ROOT)], capture_output=True, text=True,
                              timeout=600)
    if done.returncode != 0:
        return {"error": done.stderr[-500:]}
    keep = ("queries", "scored", "recall_at_10", "mrr", "empty_queries", "empty_with_results", "recall_by_type")
    reports = json.loads(done.stdout)
    return {name: {k: report[k] for k in keep} for name, report in reports.items()}


def baseline_config(catalog: Path, work: Path) -> Path:
    """Stock mkdocs-material over our Markdown: its own search (zh), our section-only navigation."""
    ours = yaml.load((catalog / "mkdocs.yml").read_text("utf-8"), Loader=yaml.SafeLoader)
    config = {
        "site_name": ours.get("site_name", "聚力目录"), "site_url": "https://juli.example.org/",
        "docs_dir": ".juli/docs", "site_dir": f"{work.name}-site", "use_directory_urls": True,
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}], "nav": ours.get("nav"),
        "markdown_extensions": ours.get("markdown_extensions", []),
    }
    work.mkdir(parents=True, exist_ok=True)
    path = catalog / f"{work.name}.yml"  # beside our docs tree: Zensical wants docs_dir inside the project
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def measure_baseline(catalog: Path, work: Path, entry_page: str, command: list[str]) -> dict:
    discard(work)
    config = baseline_config(catalog, work)
    site = catalog / f"{work.name}-site"  # inside the project: Zensical requires it
    discard(site)
    run = measure.run(command + ["-f", config.resolve()], cwd=work, check=False)
    files, size = tree_size(site) if site.is_dir() else (0, 0)
    docs = catalog / ".juli" / "docs"
    pages = sorted(p.relative_to(docs).with_suffix("").as_posix() for p in docs.rglob("*.md"))
    missing = [p for p in pages if not (site / (p[:-5] if p.endswith("index") else p + "/") / "index.html").is_file()
               and not (site / (p + ".html")).is_file()]
    index = site / "search" / "search_index.json"
    return {"seconds": round(run.wall, 2), "peak_mb": round(run.peak_mb), "exit": run.rc, "site_files": files,
            "site_mb": round(size / 2**20, 1), "pages_expected": len(pages), "pages_missing": len(missing),
            "missing_examples": missing[:5], "pages": page_bytes(site, entry_page),
            "search_bytes": index.stat().st_size if index.is_file() else None, "log_tail": run.err[-300:]}


TRASH = ROOT / "bench" / "work" / ".trash"


def discard(path: Path) -> None:
    """Move a previous output out of the way, to be deleted after the last measurement. Deleting tens of
    thousands of files makes ext4 skip their inode numbers for a while ("recently deleted"), which made
    the file creations of the next measured build several times slower here; measurements should not
    pay for the clean-up before them, ours or the baseline's."""
    if os.path.lexists(path):
        TRASH.mkdir(parents=True, exist_ok=True)
        os.rename(path, TRASH / f"{len(os.listdir(TRASH))}-{path.name}")


def median(runs: list[dict]) -> dict:
    """The run of median wall time, with every run's time beside it."""
    chosen = dict(sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2])
    chosen["runs_seconds"] = [r["seconds"] for r in runs]
    return chosen


def ratio(ours, theirs):
    return round(ours / theirs, 3) if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)) and theirs else None


def table(result: dict) -> str:
    ours, base = result.get("ours", {}), result.get("baseline", {})
    build, bb = ours.get("build", {}), base
    quality = ours.get("search_quality", {})
    rows = [
        ("validate (s)", ours.get("validate", {}).get("seconds"), None),
        ("validate entries/s", ours.get("validate", {}).get("entries_per_second"), None),
        ("validate peak MB", ours.get("validate", {}).get("peak_mb"), None),
        ("full build (s)", build.get("seconds"), bb.get("seconds")),
        ("full build peak MB", build.get("peak_mb"), bb.get("peak_mb")),
        ("site MB", build.get("site_mb"), bb.get("site_mb")),
        ("site files", build.get("site_files"), bb.get("site_files")),
        ("rebuild after 1 entry (s)", ours.get("rebuild", {}).get("seconds"), bb.get("seconds")),
        ("preview reload (s)", ours.get("serve", {}).get("reload_seconds"), None),
        ("home page bytes", ours.get("pages", {}).get("home"), bb.get("pages", {}).get("home")),
        ("entry page bytes", ours.get("pages", {}).get("entry"), bb.get("pages", {}).get("entry")),
        ("listing page bytes", ours.get("pages", {}).get("listing"), bb.get("pages", {}).get("listing")),
        ("search: first query bytes", ours.get("search", {}).get("first_query_bytes"), bb.get("search_bytes")),
        ("search: later query bytes (max)", max(ours.get("search", {}).get("later_query_bytes") or [0]) or None, None),
        ("search: first query, uncompressed", ours.get("search", {}).get("first_query_bytes_uncompressed"), None),
        ("search: later (max), uncompressed", max(ours.get("search", {}).get("later_query_bytes_uncompressed") or [0]) or None,
         None),
        ("search recall@10 (query set)", quality.get("tuned", {}).get("recall_at_10"), None),
        ("search MRR (query set)", quality.get("tuned", {}).get("mrr"), None),
        ("search recall@10 (held-out set)", quality.get("held_out", {}).get("recall_at_10"), None),
        ("search MRR (held-out set)", quality.get("held_out", {}).get("mrr"), None),
    ]
    if "zensical" in result:
        z = result["zensical"]
        rows.append(("zensical build (s) / missing pages", z.get("seconds"), z.get("pages_missing")))
    out = [f"{'measure':36s}{'ours':>14s}{'baseline':>14s}{'ratio':>9s}", "-" * 73]
    for name, a, b in rows:
        fmt = lambda v: "" if v is None else (f"{v:,.2f}" if isinstance(v, float) else (f"{v:,}" if isinstance(v, int) else str(v)))
        r = ratio(a, b)
        out.append(f"{name:36s}{fmt(a):>14s}{fmt(b):>14s}{'' if r is None else f'{r:.2f}':>9s}")
    if result.get("build_ratio_per_pair"):
        out.append(f"full builds, ours (s): {build.get('runs_seconds')}; baseline (s): {bb.get('runs_seconds')}; "
                   f"ratio of each pair run back to back: {result['build_ratio_per_pair']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", nargs="*", choices=PARTS, default=[])
    parser.add_argument("--query", nargs="+", default=["检测", "标准", "人工智能 培训"],
                        help="the search queries measured, one after another on one page")
    parser.add_argument("--serve-timeout", type=float, default=900)
    parser.add_argument("--repeat", type=int, default=3, help="cold builds (ours and the baseline's) to take the median of")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    catalog = ROOT / "bench" / "work" / f"catalog-{args.size}"
    shutil.rmtree(TRASH, ignore_errors=True)  # left by an interrupted run
    for stale in (".juli", "site"):
        discard(catalog / stale)
    counts = generate(catalog, args.size, args.seed)
    service, entry_page = pick_entry(catalog)
    result: dict = {"machine": measure.machine(), "size": args.size, "seed": args.seed, "counts": counts, "ours": {}}
    ours = result["ours"]

    def step(name: str, fn):
        if name in args.skip:
            return
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            fn()
        except Exception as exc:  # one failing part must not lose the others' figures
            result.setdefault("errors", {})[name] = repr(exc)[-800:]

    step("validate", lambda: ours.__setitem__("validate", bench_validate(catalog, counts["entries"], False)["juli_validate"]))

    def full_builds():
        """Our cold build and the baseline, alternately, `--repeat` times: this machine's file system
        speed drifts by several times within minutes, so each figure is the median run, and the ratio is
        also given for each pair measured back to back."""
        runs, bases = [], []
        for _ in range(args.repeat):
            for stale in (".juli", "site"):
                discard(catalog / stale)
            runs.append(measure_build(catalog))
            if "baseline" not in args.skip:
                bases.append(measure_baseline(catalog, ROOT / "bench" / "work" / f"baseline-{args.size}", entry_page,
                                              [measure.tool("mkdocs"), "build"]))
        ours["build"] = median(runs)
        ours["pages"] = page_bytes(catalog / "site", entry_page)
        if bases:
            result["baseline"] = median(bases)
            result["build_ratio_per_pair"] = [ratio(a["seconds"], b["seconds"]) for a, b in zip(runs, bases)]
    step("build", full_builds)

    def rebuild():
        edit_entry(service, "基准修改")
        ours["rebuild"] = measure_build(catalog)
    step("rebuild", rebuild)
    step("search", lambda: ours.__setitem__("search", measure_search(catalog / "site", args.query)))
    step("quality", lambda: ours.__setitem__("search_quality", measure_quality(ROOT / "bench" / "work" / "quality-sample")))
    step("lighthouse", lambda: ours.__setitem__("lighthouse", lighthouse.run(catalog / "site")))
    step("zensical", lambda: result.__setitem__("zensical", measure_baseline(
        catalog, ROOT / "bench" / "work" / f"zensical-{args.size}", entry_page, [measure.tool("zensical"), "build", "--clean"])))
    step("serve", lambda: ours.__setitem__("serve", measure_serve(catalog, service, entry_page, args.serve_timeout)))

    shutil.rmtree(TRASH, ignore_errors=True)
    print(table(result))
    out = args.out or ROOT / "bench" / "results" / f"run-{args.size}-{date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
