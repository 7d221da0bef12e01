#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only when they are missing:
#   fonts-noto-cjk + fontconfig  Chinese text on cover images and in the printed edition (make site, make test)
#   libpango-1.0-0 libpangoft2-1.0-0  text layout for WeasyPrint, which typesets the printed edition
#   poppler-utils                the printed edition's tests render pages to PNG with pdftoppm (make test)
#   rsync                        the deploy script's tests publish to a local folder (make test)
#   chromium                     headless browser tests (make test)
#   nodejs + npm                 axe-core for the accessibility tests (make test)
# An argument PKG=COMMAND is satisfied by COMMAND on the PATH too: Node.js often comes from another
# source (nodesource's nodejs bundles npm and conflicts with Debian's npm package).
set -euo pipefail
missing=()
for want in "$@"; do
  pkg=${want%%=*}
  cmd=${want#*=}
  [ "$cmd" != "$want" ] && command -v "$cmd" >/dev/null && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "system-deps: please install ${missing[*]} (no apt-get on this machine)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
