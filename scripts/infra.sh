#!/usr/bin/env bash
# PostgreSQL, RabbitMQ and the S3 server (s3rver) for runs by hand outside the tests — the AppHost's
# Infrastructure=connection-strings path, the latency benchmark's --distributed run, ReviewWorkflow's queue-load
# script — as containers of the project's images (scripts/images.sh) on fixed loopback ports. The tests never use
# it: they start containers of their own (Testcontainers, the AppHost, docker-compose).
#
#   scripts/infra.sh start         start the three containers (idempotent; scripts/images.sh first if an image is missing)
#   scripts/infra.sh stop          remove them with their data
#   scripts/infra.sh status        one line per server; exit 0 only if all are up
#   scripts/infra.sh env           `export` lines to eval: eval "$(scripts/infra.sh env)"
#   scripts/infra.sh env --direct  the same at the containers' bridge addresses (no docker-proxy in between)
#   scripts/infra.sh rabbitmqctl … rabbitmqctl in the broker's container (e.g. list_queues name type)
#
# PostgreSQL loads pg_stat_statements: the load run's report counts each service's statements per upload from it.
#
# Ports (environment overrides): EXAMREVIEW_PG_PORT (55432), EXAMREVIEW_AMQP_PORT (55672), EXAMREVIEW_S3_PORT (54569).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"

PG_PORT="${EXAMREVIEW_PG_PORT:-55432}"
AMQP_PORT="${EXAMREVIEW_AMQP_PORT:-55672}"
S3_PORT="${EXAMREVIEW_S3_PORT:-54569}"
USER_NAME=examreview
PASSWORD=examreview
S3_BUCKET=examreview-materials
PREFIX=examreview-infra

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }
running() { [[ "$(docker inspect -f '{{.State.Running}}' "$PREFIX-$1" 2>/dev/null)" == true ]]; }

# run NAME PORT:TARGET IMAGE [docker run options and command...]
run() {
  local name="$1" ports="$2" image="$3"
  shift 3
  if running "$name"; then log "$name: already running"; return; fi
  docker rm -f "$PREFIX-$name" >/dev/null 2>&1 || true
  docker run -d --name "$PREFIX-$name" -p "127.0.0.1:$ports" "$@" >/dev/null 2>&1 \
    || die "$name: docker run failed (is port ${ports%%:*} taken?)"
  log "$name: started on 127.0.0.1:${ports%%:*} ($image)"
}

# await NAME SECONDS CMD...: poll CMD (run in the container) until it succeeds.
await() {
  local name="$1" deadline=$((SECONDS + $2))
  shift 2
  until docker exec "$PREFIX-$name" "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { docker logs --tail 40 "$PREFIX-$name" >&2; die "$name did not become ready"; }
    sleep 0.5
  done
}

cmd_start() {
  # Only when a server image is missing: images.sh would also republish the service images after any source change.
  local image
  for image in examreview/postgres:15 examreview/rabbitmq:3 examreview/s3rver:3.7.1; do
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      bash "$REPO/scripts/images.sh" >/dev/null || die "scripts/images.sh failed (run it alone to see why)"
      break
    fi
  done
  # psql for scripts that talk to the database from the host (queue-load.sh).
  if ! command -v psql >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-client; } >/dev/null \
      || die "apt-get install postgresql-client failed"
  fi
  run postgres "$PG_PORT:5432" examreview/postgres:15 -e POSTGRES_USER="$USER_NAME" -e POSTGRES_PASSWORD="$PASSWORD" \
    examreview/postgres:15 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c shared_preload_libraries=pg_stat_statements
  run rabbitmq "$AMQP_PORT:5672" examreview/rabbitmq:3 -e RABBITMQ_DEFAULT_USER="$USER_NAME" -e RABBITMQ_DEFAULT_PASS="$PASSWORD" \
    examreview/rabbitmq:3
  run s3 "$S3_PORT:9000" examreview/s3rver:3.7.1 -e MINIO_ROOT_USER=S3RVER -e MINIO_ROOT_PASSWORD=S3RVER \
    -e MINIO_DEFAULT_BUCKETS="$S3_BUCKET" -e S3_SILENT=1 examreview/s3rver:3.7.1 server /data
  await postgres 60 pg_isready -q -h 127.0.0.1 -U "$USER_NAME" -d postgres
  await rabbitmq 120 rabbitmqctl -q await_startup --timeout 10
  await s3 30 mc ready local
  log "all up; eval \"\$($0 env)\" for the connection settings"
}

cmd_stop() {
  local name
  for name in s3 rabbitmq postgres; do
    if docker rm -f -v "$PREFIX-$name" >/dev/null 2>&1; then log "$name: removed"; else log "$name: not running"; fi
  done
}

cmd_status() {
  local rc=0 name
  for name in postgres rabbitmq s3; do
    if running "$name"; then log "$name: up"; else log "$name: down"; rc=3; fi
  done
  return "$rc"
}

cmd_env() {
  local pg_host=127.0.0.1 pg_port="$PG_PORT" amqp_host=127.0.0.1 amqp_port="$AMQP_PORT" s3_host=127.0.0.1 s3_port="$S3_PORT"
  if [[ "${1:-}" == "--direct" ]]; then
    # The containers' own addresses on Docker's bridge: no userland proxy (docker-proxy) in front of each
    # connection, which costs a sixth of a core under the load run (issue 19).
    pg_host="$(address postgres)" pg_port=5432 amqp_host="$(address rabbitmq)" amqp_port=5672 s3_host="$(address s3)" s3_port=9000
  fi
  cat <<EOF
export EXAMREVIEW_INFRA=1
export EXAMREVIEW_PG="Host=$pg_host;Port=$pg_port;Username=$USER_NAME;Password=$PASSWORD"
export ConnectionStrings__rabbitmq="amqp://$USER_NAME:$PASSWORD@$amqp_host:$amqp_port/"
export ConnectionStrings__objectstore="Endpoint=http://$s3_host:$s3_port;AccessKey=S3RVER;SecretKey=S3RVER;Region=us-east-1;Bucket=$S3_BUCKET"
EOF
}

address() {
  local ip
  ip="$(docker inspect -f '{{.NetworkSettings.IPAddress}}' "$PREFIX-$1" 2>/dev/null)"
  [[ -n "$ip" ]] || die "$1: no bridge address (is it running? $0 start)"
  echo "$ip"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) shift; cmd_env "$@" ;;
  rabbitmqctl) shift; running rabbitmq || die "rabbitmq is not running (run: $0 start)"; docker exec "$PREFIX-rabbitmq" rabbitmqctl "$@" ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
