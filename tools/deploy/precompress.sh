#!/usr/bin/env bash
# Gzip copies (file.gz beside file) of the text files of a staged site, for nginx `gzip_static on` and for
# object storage that serves what it is given. -n leaves out names and times: the same site, the same bytes.
set -euo pipefail
find "$1" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.json' -o -name '*.xml' \
  -o -name '*.svg' -o -name '*.txt' -o -name '*.ics' -o -name '*.csv' \) -size +1k -print0 |
  xargs -0 -r -n 200 gzip -9 -n -k -f
