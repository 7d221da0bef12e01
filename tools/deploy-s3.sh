#!/usr/bin/env bash
# Publish the built site to object storage through its standard command-line client, in the same order as
# deploy-rsync.sh: files other than HTML first, then the HTML pages, then deletions, then the smoke check.
#
#   DEPLOY_TOOL=aws     DEPLOY_BUCKET=s3://juli-site DEPLOY_ENDPOINT=https://cos.ap-beijing.myqcloud.com tools/deploy-s3.sh [site]
#   DEPLOY_TOOL=ossutil DEPLOY_BUCKET=oss://juli-site tools/deploy-s3.sh [site]
#   DEPLOY_TOOL=coscmd  tools/deploy-s3.sh [site]      (bucket and region from coscmd config)
#
# aws        any S3-compatible store (Tencent COS, Aliyun OSS, Huawei OBS, MinIO) with `aws s3 sync`;
#            DEPLOY_ENDPOINT is the store's S3 endpoint. Credentials come from the client's own config or
#            environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), never from this repository.
# ossutil    Aliyun's ossutil (credentials in ~/.ossutilconfig).
# coscmd     Tencent's coscmd (credentials in ~/.cos.conf).
# DEPLOY_URL the public address, for the smoke check (omit to skip it).
set -euo pipefail
site=${1:-site}
tool=${DEPLOY_TOOL:-aws}
[ -f "$site/index.html" ] || { echo "deploy: $site/index.html 不存在，请先运行 juli build" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
html_cache="no-cache"
asset_cache="public, max-age=86400"

case "$tool" in
  aws)
    : "${DEPLOY_BUCKET:?请设置 DEPLOY_BUCKET，例如 s3://juli-site}"
    endpoint=()
    [ -n "${DEPLOY_ENDPOINT:-}" ] && endpoint=(--endpoint-url "$DEPLOY_ENDPOINT")
    echo "deploy: 1/3 上传网页以外的文件" >&2
    aws s3 sync "$site/" "$DEPLOY_BUCKET" "${endpoint[@]}" --exclude '*.html' --cache-control "$asset_cache"
    echo "deploy: 2/3 上传网页" >&2
    aws s3 sync "$site/" "$DEPLOY_BUCKET" "${endpoint[@]}" --exclude '*' --include '*.html' \
      --cache-control "$html_cache" --content-type 'text/html; charset=utf-8'
    echo "deploy: 3/3 删除新网站中已没有的文件" >&2
    aws s3 sync "$site/" "$DEPLOY_BUCKET" "${endpoint[@]}" --delete
    ;;
  ossutil)
    : "${DEPLOY_BUCKET:?请设置 DEPLOY_BUCKET，例如 oss://juli-site}"
    echo "deploy: 1/3 上传网页以外的文件" >&2
    ossutil cp -r -f -u "$site/" "$DEPLOY_BUCKET" --exclude '*.html' --meta "Cache-Control:$asset_cache"
    echo "deploy: 2/3 上传网页" >&2
    ossutil cp -r -f -u "$site/" "$DEPLOY_BUCKET" --include '*.html' --meta "Cache-Control:$html_cache"
    echo "deploy: 3/3 删除新网站中已没有的文件" >&2
    ossutil sync "$site/" "$DEPLOY_BUCKET" --delete -f
    ;;
  coscmd)
    echo "deploy: 1/3 上传网页以外的文件" >&2
    coscmd upload -rs "$site/" / --ignore '*.html' -H "{'Cache-Control':'$asset_cache'}"
    echo "deploy: 2/3 上传网页" >&2
    coscmd upload -rs "$site/" / --include '*.html' -H "{'Cache-Control':'$html_cache'}"
    echo "deploy: 3/3 删除新网站中已没有的文件" >&2
    coscmd upload -rs --delete -f "$site/" /
    ;;
  *)
    echo "deploy: 不认识的 DEPLOY_TOOL=$tool（可用 aws、ossutil、coscmd）" >&2
    exit 2
    ;;
esac

if [ -n "${DEPLOY_URL:-}" ]; then
  "$here/deploy-smoke.sh" "$DEPLOY_URL" "$site"
fi
