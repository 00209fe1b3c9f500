#!/usr/bin/env bash
# Thin wrapper: all build logic lives in eng/build.proj (runs anywhere dotnet runs).
# Usage: ./build.sh [bundle|test|render|bench|pack] [extra msbuild args]
set -euo pipefail
cd "$(dirname "$0")"
target="${1:-bundle}"; shift || true
case "$target" in
  bundle) t=Bundle;; test) t=Test;; lint) t=Lint;; render) t=Render;; bench) t=Bench;; pack) t=Pack;;
  *) echo "unknown target '$target' (bundle|test|lint|render|bench|pack)" >&2; exit 2;;
esac
exec dotnet msbuild eng/build.proj -nologo -v:m -t:"$t" "$@"
