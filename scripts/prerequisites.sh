#!/usr/bin/env bash
# The Debian packages the platform loads at run time, and those the tests use, installed once when missing
# (apt-get, only the missing ones; nothing when all are there). No server: PostgreSQL, RabbitMQ and the S3 server
# run in containers (scripts/images.sh builds their images; the tests start them through Testcontainers).
#
#   scripts/prerequisites.sh          what scripts/run.sh needs
#   scripts/prerequisites.sh --tests  that plus what the tests need (scripts/test.sh)
#
# Run time: libvips comes with NetVips.Native (NuGet); libheif1 decodes HEIC (NetVips.Native's libheif has no HEVC
# decoder); libfontconfig1 + fontconfig-config + fonts-wqy-microhei: SkiaSharp's drawn examples and PDFs and the
# watermark's CJK text; fonts-hanazono: the rare characters (生僻字 of CJK Extension B) WenQuanYi lacks, which a
# candidate's name may hold and the printed notices draw through fontconfig's fallback; libgtk-3-0 + opencv-data: the ID photo's face checks (OpenCvSharp's official runtime links
# GTK 3; the Haar cascades live in /usr/share/opencv4/haarcascades).
# Tests: poppler-utils (pdftoppm rasterises the printable PDFs); clamav-daemon (clamd scans uploads with the
# EICAR database in tools/clamav); chromium (the reviewer console's Playwright tests run in Debian's browser); Node.js and npm for the OpenAPI checks
# (tools/openapi), from Debian only when no node/npm is on PATH already.
set -euo pipefail

RUNTIME=(libheif1 libfontconfig1 fontconfig-config fonts-wqy-microhei fonts-hanazono libgtk-3-0 opencv-data)
TESTS=(poppler-utils clamav-daemon chromium)

case "${1:-}" in
  "") wanted=("${RUNTIME[@]}") ;;
  --tests) wanted=("${RUNTIME[@]}" "${TESTS[@]}") ;;
  *) echo "usage: $0 [--tests]" >&2; exit 2 ;;
esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${wanted[@]}"; do installed "$p" || missing+=("$p"); done
if [[ "${1:-}" == --tests ]]; then
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi
((${#missing[@]})) || exit 0

if [[ "$(id -u)" -eq 0 ]]; then SUDO=(); else SUDO=(sudo -n); fi
log="$(mktemp)"
echo "[prerequisites] installing ${missing[*]} (once)" >&2
if ! { "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq \
  && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "[prerequisites] FAILED: apt-get install ${missing[*]}" >&2
  tail -n 40 "$log" | sed 's/^/  | /' >&2
  exit 1
fi
rm -f "$log"
