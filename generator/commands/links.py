"""`juli links`: check every URL of the catalog over the network and report per organization.

Never part of the build (the build is offline). Bounded concurrency, a timeout per request, retries
with exponential backoff for timeouts, connection errors, 429 and 5xx, HEAD first with a GET
fallback (many servers refuse HEAD), and redirects followed one by one so they can be reported.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin

from .. import __version__
from ..checks import validate
from ..checks.semantic import URL_IN_MARKDOWN
from ..load import format_path
from . import add_root

NAME = "links"
HELP = "联网检查目录中所有网址是否可以访问(不属于离线构建),按组织报告"

MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class Where:
    file: str
    line: int
    field: str


@dataclass
class Result:
    url: str
    ok: bool = False
    status: int | None = None
    final_url: str = ""
    redirects: list[tuple[int, str]] = field(default_factory=list)
    method: str = "HEAD"
    attempts: int = 0
    error: str = ""
    where: list[Where] = field(default_factory=list)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as responses, so each hop can be reported."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib's signature
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--workers", type=int, default=8, help="同时检查的网址数,默认 8")
    parser.add_argument("--timeout", type=float, default=10.0, help="每次请求的超时秒数,默认 10")
    parser.add_argument("--retries", type=int, default=2, help="超时、连接失败、429 和 5xx 时的重试次数,默认 2")
    parser.add_argument("--backoff", type=float, default=1.0, help="第一次重试前等待的秒数,之后每次加倍,默认 1")
    parser.add_argument("--org", action="append", default=[], help="只检查这些组织(可重复)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")


def request(url: str, method: str, timeout: float) -> tuple[int, str]:
    """One request: (status, Location header). Network failures raise OSError."""
    ascii_url = quote(url, safe=":/?#[]@!$&'()*+,;=%~")  # IRIs with Chinese characters go out percent-encoded
    req = urllib.request.Request(ascii_url, method=method, headers={
        "User-Agent": f"juli-links/{__version__} (link checker of the Juli catalog)", "Accept": "*/*"})
    try:
        with _OPENER.open(req, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get("Location", "") if exc.headers else ""


def check_url(url: str, timeout: float = 10.0, retries: int = 2, backoff: float = 1.0) -> Result:
    result = Result(url)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, location, method = _with_fallback(current, timeout, retries, backoff, result)
        result.status, result.method = status, method
        if status is None:
            return result
        if 300 <= status < 400 and location:
            current = urljoin(current, location)
            result.redirects.append((status, current))
            continue
        result.final_url = current
        result.ok = 200 <= status < 300
        if not result.ok:
            result.error = f"HTTP {status}"
        return result
    result.error = f"重定向超过 {MAX_REDIRECTS} 次"
    return result


def _with_fallback(url: str, timeout: float, retries: int, backoff: float, result: Result) -> tuple[int | None, str, str]:
    status, location = _with_retries(url, "HEAD", timeout, retries, backoff, result)
    if status is not None and status < 400:
        return status, location, "HEAD"
    if status is None and result.error.startswith("超时"):
        return None, "", "HEAD"  # a GET would only wait as long again
    result.error = ""
    status, location = _with_retries(url, "GET", timeout, retries, backoff, result)
    return status, location, "GET"


def _with_retries(url: str, method: str, timeout: float, retries: int, backoff: float, result: Result) -> tuple[int | None, str]:
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        result.attempts += 1
        try:
            status, location = request(url, method, timeout)
        except (socket.timeout, TimeoutError):
            result.error = f"超时(超过 {timeout:g} 秒无响应)"
            continue
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                result.error = f"超时(超过 {timeout:g} 秒无响应)"
            else:
                result.error = f"无法连接({reason})"
            continue
        except (OSError, ValueError) as exc:
            result.error = f"无法连接({exc})"
            continue
        if status in RETRY_STATUSES and attempt < retries:
            continue
        return status, location
    return None, ""


def collect(root: Path, only: list[str] | None = None) -> dict[str, dict[str, list[Where]]]:
    """URLs per organization: {org: {url: [where it is written]}}, from every entry's fields and Markdown links."""
    found: dict[str, dict[str, list[Where]]] = {}
    for source, doc in validate(root).documents:
        if not source.org or (only and source.org not in only):
            continue
        for path, text in doc.strings():
            candidates = [text] if text.startswith(("http://", "https://")) and " " not in text.strip() else []
            candidates += [u for u in URL_IN_MARKDOWN.findall(text) if u.startswith(("http://", "https://"))]
            for url in candidates:
                line = doc.where(path)[0]
                found.setdefault(source.org, {}).setdefault(url.strip(), []).append(Where(source.rel, line, format_path(path)))
    return found



def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not (root / "catalog").is_dir() or args.workers < 1 or args.timeout <= 0 or args.retries < 0:
        print("juli links: 参数不对(需要 catalog/ 文件夹,--workers ≥ 1,--timeout > 0,--retries ≥ 0)。", file=sys.stderr)
        return 2
    by_org = collect(root, args.org)
    urls = sorted({u for links in by_org.values() for u in links})
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = dict(zip(urls, pool.map(lambda u: check_url(u, args.timeout, args.retries, args.backoff), urls)))
    report = []
    for org in sorted(by_org):
        links = []
        for url in sorted(by_org[org]):
            result = Result(**{**asdict(results[url]), "where": by_org[org][url]})
            links.append(result)
        report.append((org, links))
    broken = sum(1 for u in urls if not results[u].ok)
    if args.format == "json":
        print(json.dumps({"checked": len(urls), "broken": broken,
                          "organizations": [{"id": org, "links": [asdict(r) for r in links]} for org, links in report]},
                         ensure_ascii=False, indent=2, default=lambda o: o.__dict__))
    else:
        _print_text(report, len(urls), broken)
    return 1 if broken else 0


def _print_text(report: list[tuple[str, list[Result]]], checked: int, broken: int) -> None:
    for org, links in report:
        bad = [r for r in links if not r.ok]
        moved = [r for r in links if r.ok and r.redirects]
        print(f"{org}:{len(links)} 个网址,{len(bad)} 个无法访问,{len(moved)} 个已跳转")
        for r in bad + moved:
            where = ";".join(f"{w.file}:{w.line} {w.field}" for w in r.where)
            if r.ok:
                hops = " → ".join(f"{s} {u}" for s, u in r.redirects)
                print(f"  跳转 {r.url} → {hops}(建议改为最终网址)  {where}")
            else:
                print(f"  失败 {r.url}:{r.error}  {where}")
    print(f"共检查 {checked} 个网址,{broken} 个无法访问。")
