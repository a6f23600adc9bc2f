#!/usr/bin/env bash
# The registration-peak load run (issue 19): builds the AppHost and the load generator (Release), starts the shared
# servers (scripts/infra.sh) if they are not running, gives the run a RabbitMQ virtual host and databases of its own,
# and runs tools/ExamReview.LoadGenerator, which starts the AppHost topology, measures the floors on the same servers,
# drives the peak, prints the report and checks the end state. Everything after `--` goes to the load generator:
#   bash scripts/load.sh                                   defaults: 200 candidates, 8 at once, at most 300 s
#   bash scripts/load.sh -- --candidates 2000 --concurrency 16 --duration 300 --replicas 2
# LOAD_NO_BUILD=1 skips the builds; LOAD_KEEP=1 keeps the run's databases and virtual host for inspection; LOAD_DIRECT=1
# connects to the servers at their containers' bridge addresses instead of through Docker's published ports.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"
[[ "${1:-}" == "--" ]] && shift

if [[ "${LOAD_SERVERS:-infra}" == "infra" ]]; then
  docker inspect -f '{{.State.Running}}' examreview-infra-postgres 2>/dev/null | grep -q true || bash scripts/infra.sh start
  # LOAD_DIRECT=1: the services reach the servers at their bridge addresses, without Docker's userland proxy.
  eval "$(bash scripts/infra.sh env ${LOAD_DIRECT:+--direct})"
  RABBIT_CONTAINER=examreview-infra-rabbitmq
else
  RABBIT_CONTAINER="${LOAD_RABBIT_CONTAINER:?LOAD_SERVERS=given needs LOAD_RABBIT_CONTAINER and the ConnectionStrings exported}"
fi
if [[ -z "${LOAD_NO_BUILD:-}" ]]; then
  echo "[load] building the AppHost and the load generator (Release)"
  dotnet build src/AppHost/ExamReview.AppHost/ExamReview.AppHost.csproj -c Release -m:1 -nologo -clp:ErrorsOnly
  dotnet build tools/ExamReview.LoadGenerator/ExamReview.LoadGenerator.csproj -c Release -m:1 -nologo -clp:ErrorsOnly
fi

RUN="er_load_$(date +%s)"
docker exec "$RABBIT_CONTAINER" rabbitmqctl -q add_vhost "$RUN" >/dev/null
docker exec "$RABBIT_CONTAINER" rabbitmqctl -q set_permissions -p "$RUN" examreview '.*' '.*' '.*' >/dev/null
export ConnectionStrings__rabbitmq="${ConnectionStrings__rabbitmq%/}/$RUN"
field() { echo "$EXAMREVIEW_PG" | tr ';' '\n' | sed -n "s/^$1=//p"; }
cleanup() {
  if [[ -z "${LOAD_KEEP:-}" ]]; then
    docker exec "$RABBIT_CONTAINER" rabbitmqctl -q delete_vhost "$RUN" >/dev/null 2>&1 || true
    for db in $(PGPASSWORD="$(field Password)" psql -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d postgres -Atc \
        "SELECT datname FROM pg_database WHERE datname LIKE '${RUN}\\_%'" 2>/dev/null); do
      PGPASSWORD="$(field Password)" psql -q -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d postgres -c "DROP DATABASE \"$db\" WITH (FORCE)" || true
    done
  else
    echo "[load] kept databases ${RUN}_* and virtual host $RUN"
  fi
}
trap cleanup EXIT
echo "[load] run $RUN (load average $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet tools/ExamReview.LoadGenerator/bin/Release/net10.0/ExamReview.LoadGenerator.dll --prefix "$RUN" "$@"
