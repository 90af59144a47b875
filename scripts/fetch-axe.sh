#!/usr/bin/env bash
# axe-core's axe.min.js for the browser tests (docs/pages.md), from the npm registry, into the git-ignored .cache/axe-core/.
# Never committed. Idempotent: does nothing when the file is there. Version: the newest axe-core 4.x (AXE_VERSION to pin).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/axe-core
if [ -s "$dest/axe.min.js" ]; then
  exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "axe-core@${AXE_VERSION:-4}" > name.txt )
tar -xzf "$tmp/$(tail -1 "$tmp/name.txt")" -C "$tmp" package/axe.min.js package/package.json
cp "$tmp/package/axe.min.js" "$dest/axe.min.js.part"
mv "$dest/axe.min.js.part" "$dest/axe.min.js"
grep -m1 '"version"' "$tmp/package/package.json" | tr -d ' ,' > "$dest/VERSION"
echo "axe-core $(cat "$dest/VERSION") -> $dest/axe.min.js"
