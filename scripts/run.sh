#!/usr/bin/env bash
# The README's run command: the whole platform on its embedded default (in-memory bus, SQLite,
# filesystem object store; no external server). Installs the native image libraries if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# libgtk-3-0 and opencv-data: the ID photo's face checks (OpenCvSharp's runtime links GTK; Haar cascades).
if ! ldconfig -p 2>/dev/null | grep -q 'libvips.so.42' || ! fc-list 2>/dev/null | grep -qi 'wenquanyi' \
  || ! ldconfig -p 2>/dev/null | grep -q 'libgtk-3.so.0' \
  || [ ! -f /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml ]; then
  echo "installing libvips42, a CJK font, GTK 3 and OpenCV's Haar cascades (once)" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libvips42 fonts-wqy-microhei libgtk-3-0 opencv-data >/dev/null
fi
exec dotnet run --project src/AppHost/ExamReview.AppHost -- "$@"
