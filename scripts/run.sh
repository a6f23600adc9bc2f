#!/usr/bin/env bash
# The README's run command: the whole platform on its embedded default (in-memory bus, SQLite,
# filesystem object store; no external server). Installs the few Debian libraries the services load that
# NuGet does not carry, once (scripts/prerequisites.sh: HEIC decoding, fonts, the face checks' runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
# The reviewer console, served by the embedded host at /console/ (built once; rebuild with `npm run build` in console/).
if [ ! -f console/dist/index.html ]; then
  if command -v npm >/dev/null; then
    echo "[run] building the reviewer console (once)" >&2
    (cd console && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent && npm run build --silent) >&2
  else
    echo "[run] npm not found: the reviewer console is not built and /console/ is not served" >&2
  fi
fi
exec dotnet run --project src/AppHost/ExamReview.Embedded -- "$@"
