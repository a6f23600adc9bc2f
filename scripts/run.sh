#!/usr/bin/env bash
# The README's run command: the whole platform on its embedded default (in-memory bus, SQLite,
# filesystem object store; no external server). Installs the few Debian libraries the services load that
# NuGet does not carry, once (scripts/prerequisites.sh: HEIC decoding, fonts, the face checks' runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
exec dotnet run --project src/AppHost/ExamReview.Embedded -- "$@"
