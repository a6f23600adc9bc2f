#!/usr/bin/env bash
# Faults under load (issue 19), automated: starts PostgreSQL, RabbitMQ and the S3 server as containers of this run's
# own (never the shared infra.sh servers, which other runs use), runs the load generator with two instances of every
# service, and while the load runs: kill -9 of one instance of each service in turn, a RabbitMQ restart, a
# PostgreSQL restart, and the object store paused (unavailable) for 30 s. Then the load generator's end check decides:
# every 2xx upload stored with its row and verdict, one review case per submission, one SMS per return, no outbox
# row unpublished and no message in an error queue. Exit code 0 only when every check passes.
#   bash scripts/faults.sh [-- load generator options]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"
P=er-load-faults

if [[ "${1:-}" == "--schedule" ]]; then
  # Runs inside the load generator (LOAD_MARKER set): the fault schedule.
  say() { printf '\n[faults %s] %s\n' "$(date +%T)" "$*"; }
  sleep 25
  for service in Registration MaterialStorage ImageValidation ReviewWorkflow Notification; do
    victim=""
    # The run's processes carry its marker (database prefix, virtual host) in their environment.
    for pid in $(pgrep -f "ExamReview.$service"); do
      cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
      if [[ "$cmd" != *" run "* ]] && grep -qz "$LOAD_MARKER" "/proc/$pid/environ" 2>/dev/null; then victim="$pid"; break; fi
    done
    if [[ -n "$victim" ]]; then say "kill -9 $service (pid $victim)"; kill -9 "$victim" || true; else say "no $service process found"; fi
    sleep 10
  done
  say "RabbitMQ restart"; docker restart -t 5 "$P-rabbitmq" >/dev/null; sleep 20
  say "PostgreSQL restart"; docker restart -t 5 "$P-postgres" >/dev/null; sleep 20
  say "object store unavailable for 30 s"; docker pause "$P-s3" >/dev/null; sleep 30; docker unpause "$P-s3" >/dev/null
  say "schedule done"
  exit 0
fi

[[ "${1:-}" == "--" ]] && shift
PG_PORT=56432 AMQP_PORT=56672 S3_PORT=56569
cleanup() { docker rm -f "$P-postgres" "$P-rabbitmq" "$P-s3" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
docker run -d --name "$P-postgres" -p "127.0.0.1:$PG_PORT:5432" -e POSTGRES_USER=examreview -e POSTGRES_PASSWORD=examreview \
  examreview/postgres:15 -c max_connections=300 >/dev/null
docker run -d --name "$P-rabbitmq" -p "127.0.0.1:$AMQP_PORT:5672" -e RABBITMQ_DEFAULT_USER=examreview -e RABBITMQ_DEFAULT_PASS=examreview \
  examreview/rabbitmq:3 >/dev/null
docker run -d --name "$P-s3" -p "127.0.0.1:$S3_PORT:9000" -e MINIO_ROOT_USER=S3RVER -e MINIO_ROOT_PASSWORD=S3RVER \
  -e MINIO_DEFAULT_BUCKETS=examreview-materials -e S3_SILENT=1 examreview/s3rver:3.7.1 server /data >/dev/null
until docker exec "$P-postgres" pg_isready -q -h 127.0.0.1 -U examreview -d postgres >/dev/null 2>&1; do sleep 0.5; done
until docker exec "$P-rabbitmq" rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do sleep 0.5; done
until docker exec "$P-s3" mc ready local >/dev/null 2>&1; do sleep 0.5; done
echo "[faults] servers of this run up: postgres :$PG_PORT, rabbitmq :$AMQP_PORT, s3 :$S3_PORT"
export EXAMREVIEW_PG="Host=127.0.0.1;Port=$PG_PORT;Username=examreview;Password=examreview"
export ConnectionStrings__rabbitmq="amqp://examreview:examreview@127.0.0.1:$AMQP_PORT/"
export ConnectionStrings__objectstore="Endpoint=http://127.0.0.1:$S3_PORT;AccessKey=S3RVER;SecretKey=S3RVER;Region=us-east-1;Bucket=examreview-materials"
LOAD_SERVERS=given LOAD_RABBIT_CONTAINER="$P-rabbitmq" LOAD_KEEP=1 bash "$ROOT/scripts/load.sh" -- \
  --replicas 2 --replicate-all --duration 170 --drain 180 --rest 0 --no-floors --candidates 100000 --concurrency 4 \
  --during "bash '$ROOT/scripts/faults.sh' --schedule" "$@"
