"""`juli links`: check every URL of the catalog over the network and report per organization.

Never part of the build (the build is offline). Built on requests: internationalised domain names go
out in their IDNA form and paths percent-encoded, as browsers send them; urllib3's Retry retries
timeouts, connection errors, 429 and 5xx with exponential backoff and honours `Retry-After`; HEAD
first with a GET fallback (many servers refuse HEAD); redirects are followed by requests and reported
hop by hop from the response history.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

from .. import __version__
from ..checks import validate
from ..checks.semantic import URL_IN_MARKDOWN
from ..load import format_path
from . import add_root

NAME = "links"
HELP = "联网检查目录中所有网址是否可以访问（不属于离线构建），按组织报告"

MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = f"juli-links/{__version__} (link checker of the Juli catalog)"


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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--workers", type=int, default=8, help="同时检查的网址数，默认 8")
    parser.add_argument("--timeout", type=float, default=10.0, help="每次请求的超时秒数，默认 10")
    parser.add_argument("--retries", type=int, default=2, help="超时、连接失败、429 和 5xx 时的重试次数，默认 2")
    parser.add_argument("--backoff", type=float, default=1.0, help="第一次重试前等待的秒数，之后每次加倍，默认 1")
    parser.add_argument("--org", action="append", default=[], help="只检查这些组织（可重复）")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")


class _CountedRetry(Retry):
    """urllib3's Retry, counting the retries it granted (it makes a new object per retry, so the count
    lives in a list they share)."""

    def __init__(self, *args, seen: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = [] if seen is None else seen

    def new(self, **kwargs):
        retry = super().new(**kwargs)
        retry.seen = self.seen
        return retry

    def increment(self, *args, **kwargs):
        retry = super().increment(*args, **kwargs)  # raises when no retry is left
        self.seen.append(1)
        return retry


def session(retries: int, backoff: float) -> tuple[requests.Session, list]:
    """A session whose adapter retries the way the command promises (urllib3 sleeps backoff × 2^(n-1)
    before retry n, or what `Retry-After` asks), and the list its retries are counted in."""
    retry = _CountedRetry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=False,
                          backoff_factor=backoff, status_forcelist=RETRY_STATUSES, allowed_methods={"HEAD", "GET"},
                          respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False)
    adapter = HTTPAdapter(max_retries=retry)
    http = requests.Session()
    http.max_redirects = MAX_REDIRECTS
    http.headers.update({"User-Agent": USER_AGENT, "Accept": "*/*"})
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http, retry.seen


def check_url(url: str, timeout: float = 10.0, retries: int = 2, backoff: float = 1.0) -> Result:
    """HEAD, then GET when HEAD is refused or fails with an HTTP error; a timeout is not tried again
    with GET, which would only wait as long again."""
    http, failed = session(retries, backoff)
    result = Result(url)
    with http:
        for method in ("HEAD", "GET"):
            result.method, result.error = method, ""
            failed.clear()
            response = _send(http, method, url, timeout, result)
            result.attempts += 1 + len(failed)
            if response is None:
                if result.error.startswith("超时"):
                    return result
                continue
            result.status, result.final_url, result.ok = response.status_code, response.url, response.ok
            result.redirects = [(hop.status_code, requests.compat.urljoin(hop.url, hop.headers.get("Location", "")))
                                for hop in response.history]
            if result.ok:
                return result
            result.error = f"HTTP {response.status_code}"
    return result


def _send(http: requests.Session, method: str, url: str, timeout: float, result: Result) -> requests.Response | None:
    """One request with its retries and redirects; None, with `result.error` set, when it failed."""
    try:
        with http.request(method, url, timeout=timeout, allow_redirects=True, stream=True) as response:
            return response
    except requests.TooManyRedirects:
        result.error = f"重定向超过 {MAX_REDIRECTS} 次"
    except requests.RequestException as exc:
        result.error = f"超时（超过 {timeout:g} 秒无响应）" if _is_timeout(exc) else f"无法连接（{_reason(exc)}）"
    return None


def _is_timeout(exc: BaseException | None) -> bool:
    """Whether a timeout is behind `exc`: requests reports an exhausted read-timeout retry as a
    ConnectionError whose cause is urllib3's ReadTimeoutError."""
    while exc is not None:
        if isinstance(exc, (requests.Timeout, TimeoutError, ReadTimeoutError, ConnectTimeoutError)):
            return True
        exc = getattr(exc, "reason", None) or (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None)
    return False


def _reason(exc: BaseException) -> str:
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return str(reason or exc)


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
        print("juli links: 参数不对（需要 catalog/ 文件夹，--workers ≥ 1,--timeout > 0,--retries ≥ 0）。", file=sys.stderr)
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
        print(f"{org}：{len(links)} 个网址，{len(bad)} 个无法访问，{len(moved)} 个已跳转")
        for r in bad + moved:
            where = ";".join(f"{w.file}:{w.line} {w.field}" for w in r.where)
            if r.ok:
                hops = " → ".join(f"{s} {u}" for s, u in r.redirects)
                print(f"  跳转 {r.url} → {hops}（建议改为最终网址）  {where}")
            else:
                print(f"  失败 {r.url}:{r.error}  {where}")
    print(f"共检查 {checked} 个网址，{broken} 个无法访问。")
