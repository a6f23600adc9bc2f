#!/usr/bin/env bash
# The README's run command: the whole platform on its embedded default (in-memory bus, SQLite,
# filesystem object store; no external server). libvips comes with NetVips.Native (NuGet); installs the
# system pieces it does not carry if missing: libheif1 (HEIC: NetVips.Native's libheif has no HEVC decoder)
# and a CJK font for the watermark (with fontconfig's configuration, which libvips' bundled fontconfig reads).
set -euo pipefail
cd "$(dirname "$0")/.."
# libgtk-3-0 and opencv-data: the ID photo's face checks (OpenCvSharp's runtime links GTK; Haar cascades).
if ! ldconfig -p 2>/dev/null | grep -q 'libheif.so.1' || ! ldconfig -p 2>/dev/null | grep -q 'libfontconfig.so.1' \
  || ! [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || ! [ -e /etc/fonts/fonts.conf ] \
  || ! ldconfig -p 2>/dev/null | grep -q 'libgtk-3.so.0' \
  || ! [ -f /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml ]; then
  echo "installing libheif1 (HEIC photos), libfontconfig1 (example images, PDFs), a CJK font, GTK 3 and OpenCV's Haar cascades (face checks) (once)" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libheif1 libfontconfig1 fonts-wqy-microhei fontconfig-config libgtk-3-0 opencv-data >/dev/null
fi
exec dotnet run --project src/AppHost/ExamReview.Embedded -- "$@"
