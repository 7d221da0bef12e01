#!/usr/bin/env bash
# Copy the content editor's browser files from the pinned npm packages (package.json: decap-cms, js-yaml)
# into generator/assets/admin/vendor/, so `make site` publishes /admin/ without npm or any CDN.
# Run after changing those versions (`npm install --save-exact decap-cms@X`), then commit the folder;
# tests/test_editor.py checks the committed copy against node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=node_modules/decap-cms/dist
out=generator/assets/admin/vendor
[ -f "$dist/decap-cms.js" ] || { echo "vendor-editor: run npm ci first" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$out"
cp "$dist"/decap-cms.js "$dist"/decap-cms.js.LICENSE.txt "$dist"/*.decap-cms.js "$dist"/*.wasm "$out"/
cp node_modules/js-yaml/dist/js-yaml.min.js "$out"/
cp node_modules/js-yaml/LICENSE "$out"/js-yaml.LICENSE.txt
node -e 'for (const p of ["decap-cms","js-yaml"]) console.log(p+"@"+require("./node_modules/"+p+"/package.json").version)' > "$out"/VERSIONS
echo "vendor-editor: $(ls "$out" | wc -l) files, $(du -sh "$out" | cut -f1) in $out"
