#!/usr/bin/env bash
# After a deploy: fetch the home page and one entry page from the public address and compare them, byte for
# byte, with the build. Exits non-zero (and says which page differs) when the host serves something else.
#
#   tools/deploy-smoke.sh https://juli.example.cn/ [site]
set -euo pipefail
base=${1:?用法：deploy-smoke.sh 网站地址 [网站目录]}
site=${2:-site}
base=${base%/}/
entry=$(cd "$site" && find directory -mindepth 3 -maxdepth 3 -name index.html 2>/dev/null | LC_ALL=C sort | head -n 1)
[ -n "$entry" ] || { echo "smoke: $site 中没有条目页面" >&2; exit 1; }
fetched=$(mktemp)
trap 'rm -f "$fetched"' EXIT
status=0
for page in index.html "$entry"; do
  url="$base${page%index.html}"
  if ! curl --fail --silent --show-error --location --compressed --max-time 30 -o "$fetched" "$url"; then
    echo "smoke: 无法获取 $url" >&2
    status=1
  elif ! cmp -s "$fetched" "$site/$page"; then
    echo "smoke: $url 与构建结果 $site/$page 不同（缓存未更新，或上传不完整）" >&2
    status=1
  else
    echo "smoke: $url 与构建结果一致" >&2
  fi
done
exit $status
