#!/usr/bin/env bash
# The README's test command: installs the Debian packages the services and tests load (scripts/prerequisites.sh),
# installs and starts the Docker engine and builds the container images (scripts/images.sh, cached), builds the
# solution and runs every test project. The tests start their own servers in containers (Testcontainers: PostgreSQL,
# RabbitMQ, the S3 server; the Aspire AppHost's own; docker-compose.yml's) and remove them; nothing runs before or
# after. Without a working Docker engine this fails here, loudly: no test skips for want of one.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh --tests
# The Docker engine and the images every container test runs (built once per machine, then cached).
bash scripts/images.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Testcontainers and Aspire's containers on Debian's engine: its API is 1.41; Ryuk's image cannot be pulled here
# (each fixture removes its own containers); containers publish on loopback, not the bridge address.
export DOCKER_API_VERSION=1.41 TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
for image in $(bash scripts/images.sh --list); do
  docker image inspect "$image" >/dev/null 2>&1 || { echo "image $image is missing after scripts/images.sh" >&2; exit 1; }
done
# Servers the shell may point at are not the tests' (each collection starts its own containers).
unset ConnectionStrings__postgres ConnectionStrings__rabbitmq ConnectionStrings__objectstore
# The OpenAPI checks' tools (Redocly CLI, openapi-typescript, TypeScript), pinned by tools/openapi/package-lock.json;
# OpenApiDocumentTests runs them against each service's document and fails if node or npm is missing.
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are required (apt-get install nodejs npm)" >&2; exit 1; }
npm ci --prefix tools/openapi --no-audit --no-fund
# Two cores: one MSBuild node keeps the build from thrashing; test projects run one after another.
dotnet build ExamReview.sln -c Debug -m:1 -nologo -clp:ErrorsOnly

# The reviewer console (console/, issue 16): install from its lock file, type-check, build, unit tests (vitest), then
# the browser tests (Playwright in Debian's Chromium, /usr/bin/chromium; no browser is downloaded) against the embedded
# platform its setup starts from the build above. About 2 minutes; a failure fails the run but the .NET tests still run.
console_status=0
(
  set -e
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  npm ci --prefix console --no-audit --no-fund
  npm run --prefix console typecheck
  npm run --prefix console build
  npm run --prefix console test
  npm run --prefix console e2e
) || console_status=$?
echo "console: $([ "$console_status" -eq 0 ] && echo passed || echo "FAILED ($console_status)")"

log=$(mktemp)
rm -rf TestResults/resource-logs
status=0
dotnet test ExamReview.sln -c Debug --no-build -m:1 --nologo "$@" 2>&1 | tee "$log" || status=$?

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
# The failed tests' names and first message lines, kept for the very end: a CI page that shows only the tail of the
# output still says which tests failed and why.
failures=$(grep -aE -A4 '^ +Failed [A-Za-z_]' "$log" | grep -avE '^ +(Stack Trace:|at )' | cut -c1-400 | head -n 60 || true)
rm -f "$log"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  # The distributed runs keep their processes' output (TestResults/resource-logs): the errors they logged say what a
  # bare "answered 500" in a failed test's message does not.
  errors=$(grep -ahE '"LogLevel":"(Error|Critical)"| (Error|Critical) \[' TestResults/resource-logs/*.log 2>/dev/null \
    | grep -avE 'Database.Connection|CREATE DATABASE|HealthChecks' | cut -c1-500 | tail -n 12 || true)
  [ -z "$errors" ] || printf 'errors the distributed runs logged (last 12, from TestResults/resource-logs):\n%s\n' "$errors"
fi
[ -z "$failures" ] || printf 'failed tests (first 60 lines of their reports):\n%s\n' "$failures"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$console_status" -eq 0 ] || { echo "console: FAILED ($console_status)"; status=1; }
exit "$status"
