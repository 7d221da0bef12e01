"""A static server that behaves like nginx with `gzip_static`/`brotli_static` (docs/contributing/deploy.md):
a request whose Accept-Encoding allows it gets the precompressed `.br` or `.gz` written beside the file,
with Content-Encoding set. The benchmark's Lighthouse runs and the browser tests' transfer budgets use it,
so they measure what readers receive from a properly configured host. `precompressed=False` serves the
files as a plain server does, for the benchmark's uncompressed figures."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class PlainHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class PrecompressedHandler(PlainHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            if encoding in accepted and os.path.isfile(path + suffix) and os.path.isfile(path):
                data = Path(path + suffix).read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", encoding)
                self.send_header("Vary", "Accept-Encoding")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                from io import BytesIO
                return BytesIO(data)
        return super().send_head()


def serve(root: Path, port: int = 0, precompressed: bool = True) -> tuple[str, callable]:
    """Serve `root` on 127.0.0.1 from a daemon thread; returns the base URL and a stop function."""
    handler = PrecompressedHandler if precompressed else PlainHandler
    httpd = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(root)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_address[1]}/", stop


@contextlib.contextmanager
def serving(root: Path, precompressed: bool = True):
    """`serve` for the duration of a `with` block, which gets the base URL."""
    base, stop = serve(root, precompressed=precompressed)
    try:
        yield base
    finally:
        stop()
