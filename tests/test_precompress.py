"""Precompressed copies beside the built site's text files: identical content once decompressed, the
same bytes on every run, and only changed files compressed again."""

from __future__ import annotations

import gzip

import brotli

from generator.build.compress import precompress


def _site(tmp_path):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<p>聚力目录，" + "服务产品" * 200 + "</p>", "utf-8")
    (site / "assets" / "juli.css").write_text("body{color:#333}" * 50, "utf-8")
    (site / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    return site


def test_every_text_file_gets_gz_and_br_copies(tmp_path):
    site = _site(tmp_path)
    assert precompress(site, tmp_path / "cache") == 2
    for rel in ("index.html", "assets/juli.css"):
        original = (site / rel).read_bytes()
        assert gzip.decompress((site / f"{rel}.gz").read_bytes()) == original
        assert brotli.decompress((site / f"{rel}.br").read_bytes()) == original
        assert len((site / f"{rel}.br").read_bytes()) < len(original)
    assert not (site / "logo.png.gz").exists() and not (site / "logo.png.br").exists()


def test_output_is_deterministic_and_cached(tmp_path):
    first = _site(tmp_path / "a")
    precompress(first, tmp_path / "a" / "cache")
    second = _site(tmp_path / "b")
    precompress(second, tmp_path / "b" / "cache")
    for name in ("index.html.gz", "index.html.br", "assets/juli.css.gz", "assets/juli.css.br"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"  # gzip mtime 0
    assert precompress(first, tmp_path / "a" / "cache") == 0  # nothing changed: nothing compressed
    (first / "index.html").write_text("<p>改过的页面</p>", "utf-8")
    assert precompress(first, tmp_path / "a" / "cache") == 1
    assert gzip.decompress((first / "index.html.gz").read_bytes()).decode() == "<p>改过的页面</p>"
