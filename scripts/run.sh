#!/usr/bin/env bash
# The README's run command: the whole platform on its embedded default (in-memory bus, SQLite,
# filesystem object store; no external server). Installs the native image libraries if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ldconfig -p 2>/dev/null | grep -q 'libvips.so.42' || ! ldconfig -p 2>/dev/null | grep -q 'libfontconfig.so.1' \
  || ! fc-list 2>/dev/null | grep -qi 'wenquanyi'; then
  echo "installing libvips42, libfontconfig1 (SkiaSharp: example images, PDFs) and a CJK font (once)" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libvips42 libfontconfig1 fonts-wqy-microhei >/dev/null
fi
exec dotnet run --project src/AppHost/ExamReview.Embedded -- "$@"
