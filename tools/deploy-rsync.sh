#!/usr/bin/env bash
# Publish the built site to any server over SSH with rsync, in an order that never shows a reader a
# page whose files are missing:
#   1. every file but HTML (new and changed assets, images, feeds, PDFs, search index), nothing deleted;
#   2. the HTML pages, which now find everything they link to;
#   3. only then, files the new site no longer has are deleted;
#   4. a smoke check: the home page and one entry fetched over HTTP and compared with the build.
# Precompressed copies (.gz, for nginx `gzip_static on`) are made beside text files in a staging copy.
#
#   DEPLOY_TARGET=deploy@www.example.cn:/var/www/juli  DEPLOY_URL=https://juli.example.cn/  tools/deploy-rsync.sh [site]
#
# DEPLOY_TARGET  rsync destination: user@host:/path over SSH, or a local folder
# DEPLOY_URL     the public address, for the smoke check (omit to skip it)
# DEPLOY_SSH     the ssh command, e.g. "ssh -i ~/.ssh/juli_deploy -p 2222" (keys stay outside the repository)
set -euo pipefail
site=${1:-site}
: "${DEPLOY_TARGET:?请设置 DEPLOY_TARGET，例如 deploy@www.example.cn:/var/www/juli}"
[ -f "$site/index.html" ] || { echo "deploy: $site/index.html 不存在，请先运行 juli build" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -al "$site/." "$stage/" 2>/dev/null || cp -a "$site/." "$stage/"
"$here/deploy/precompress.sh" "$stage"

ssh_opts=()
[ -n "${DEPLOY_SSH:-}" ] && ssh_opts=(-e "$DEPLOY_SSH")
common=(--recursive --links --times --checksum --omit-dir-times --human-readable "${ssh_opts[@]}")
target=${DEPLOY_TARGET%/}/

echo "deploy: 1/3 上传网页以外的文件" >&2
rsync "${common[@]}" --exclude='*.html' --exclude='*.html.gz' "$stage/" "$target"
echo "deploy: 2/3 上传网页" >&2
rsync "${common[@]}" --include='*/' --include='*.html' --include='*.html.gz' --exclude='*' "$stage/" "$target"
echo "deploy: 3/3 删除新网站中已没有的文件" >&2
rsync "${common[@]}" --delete "$stage/" "$target"

if [ -n "${DEPLOY_URL:-}" ]; then
  "$here/deploy-smoke.sh" "$DEPLOY_URL" "$site"
fi
