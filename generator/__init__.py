"""聚力目录: validate the catalog of Beijing's S&T social organizations and publish it as a static site.

The pipeline runs once, in one direction: load → check → model → render → build.
"""

__version__ = "0.1.0"
