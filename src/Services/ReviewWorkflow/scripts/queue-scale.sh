#!/usr/bin/env bash
# Ten national years of review cases (default 10,000,000) in a PostgreSQL database of their own, then p50/p99 of
# every reviewer queue page shape (each filter the API offers) and of the operator metrics queries, as the service
# issues them, timed with pgbench (one client, N executions each, random site/area per execution).
#
#   bash scripts/infra.sh start
#   dotnet build src/Services/ReviewWorkflow/ExamReview.ReviewWorkflow -c Release -m:1    (or Debug)
#   bash src/Services/ReviewWorkflow/scripts/queue-scale.sh [cases] [--keep|--reuse NAME]
#
# Seeding: the service's own migrations first (the built service started once against the database), then the
# ReviewCases indexes are dropped, the rows generated with generate_series in 1M batches, the indexes re-created
# from their own definitions, and 3 decision events per decided case written for the reviewer-throughput metric.
# Prints timings only (the numbers depend on the machine); the load average is printed beside them.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
CASES="${1:-10000000}"
MODE="${2:-}"
REUSE="${3:-}"
eval "$(bash "$ROOT/scripts/infra.sh" env)"
field() { echo "$EXAMREVIEW_PG" | tr ';' '\n' | sed -n "s/^$1=//p"; }
export PGHOST="$(field Host)" PGPORT="$(field Port)" PGUSER="$(field Username)" PGPASSWORD="$(field Password)"
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The service's own migrations, applied by starting the built service once against the database (a migration that
# backfills an aggregate over ten million cases takes minutes, hence the long wait).
migrate() {
  DLL=""
  for configuration in Release Debug; do
    candidate="$ROOT/src/Services/ReviewWorkflow/ExamReview.ReviewWorkflow/bin/$configuration/net10.0/ExamReview.ReviewWorkflow.dll"
    [[ -f "$candidate" ]] && { DLL="$candidate"; break; }
  done
  [[ -n "$DLL" ]] || { echo "build ReviewWorkflow first" >&2; exit 1; }
  echo "[scale] migrating $DB with the service's own migrations ($DLL)"
  PORT=$(( 40000 + RANDOM % 20000 ))
  LOG="$(mktemp)"
  ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
  ConnectionStrings__reviewworkflowdb="$EXAMREVIEW_PG;Database=$DB" \
  ConnectionStrings__rabbitmq="${SCALE_RABBITMQ:-$ConnectionStrings__rabbitmq}" \
  Auth__SigningKeys__0="$(head -c 32 /dev/urandom | base64)" \
  ReviewWorkflow__Deadlines__ScanInterval="01:00:00" \
    dotnet "$DLL" >"$LOG" 2>&1 &
  SERVICE=$!
  trap 'kill $SERVICE 2>/dev/null || true' EXIT
  for _ in $(seq 1 1800); do
    curl -fs "http://127.0.0.1:$PORT/alive" >/dev/null 2>&1 && break
    sleep 1
  done
  kill $SERVICE 2>/dev/null || true
  wait $SERVICE 2>/dev/null || true
  trap - EXIT
  psql -d "$DB" -Atc 'SELECT count(*) FROM "ReviewCases"' >/dev/null || { echo "migration failed:"; tail -20 "$LOG"; exit 1; }
}

if [[ "$MODE" == "--reuse" ]]; then
  DB="$REUSE"
  echo "[scale] reusing $DB ($(psql -d "$DB" -Atc 'SELECT count(*) FROM "ReviewCases"') cases); applying any newer migrations"
  migrate
else
  DB="rw_scale_$(date +%s)"
  migrate

  echo "[scale] seeding $CASES cases (31 areas x 10 sites, 2 years of submissions, every state; load average $(load))"
  START=$SECONDS
  psql -q -d "$DB" -v ON_ERROR_STOP=1 -c "CREATE TABLE scale_indexes AS SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ReviewCases' AND indexname <> 'PK_ReviewCases'"
  psql -q -d "$DB" -At -c "SELECT 'DROP INDEX \"' || indexname || '\";' FROM scale_indexes" | psql -q -d "$DB" -v ON_ERROR_STOP=1
  BATCH=1000000
  for ((from = 1; from <= CASES; from += BATCH)); do
    to=$(( from + BATCH - 1 < CASES ? from + BATCH - 1 : CASES ))
    psql -q -d "$DB" -v ON_ERROR_STOP=1 <<SQL
INSERT INTO "ReviewCases" ("Id", "ApplicationId", "CandidateId", "RegistrationNumber", "AreaCode", "SiteCode", "ExamCategory",
  "State", "SubmissionNumber", "ImageIdsJson", "SubmittedAt", "OpenedAt", "UpdatedAt", "Version", "ReturnCount", "ResubmittedSinceReview",
  "ClaimedBy", "ClaimExpiresAt", "RespondBy", "FirstReviewedAt", "DecidedAt", "EscalatedAt", "AwaitingCorrection")
SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), lpad(i::text, 13, '0'),
  (10 + i % 31)::text, (10 + i % 31)::text || lpad(((i / 31) % 10)::text, 2, '0'), 'practitioner-clinical',
  -- the most recent cases are the ones still in review; history is mostly decided
  CASE WHEN i > $CASES - $CASES / 20 THEN (i / 310) % 3 ELSE 3 + (i / 310) % 2 END,
  1, '[]', now() - ($CASES - i) * (interval '730 days' / $CASES), now() - ($CASES - i) * (interval '730 days' / $CASES), now(), 0,
  CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END, i % 97 = 0,
  CASE WHEN i % 50 = 0 THEN 'site-reviewer-' || (i % 7)::text END,
  CASE WHEN i % 50 = 0 THEN now() + interval '10 minutes' END,
  CASE WHEN i > $CASES - $CASES / 20 AND (i / 310) % 3 = 1 THEN now() + ((i % 48) - 24) * interval '1 hour' END,
  CASE WHEN i <= $CASES - $CASES / 20 OR (i / 310) % 3 <> 0 THEN now() - ($CASES - i) * (interval '730 days' / $CASES) + (i % 7200) * interval '1 second' END,
  CASE WHEN i <= $CASES - $CASES / 20 THEN now() - ($CASES - i) * (interval '730 days' / $CASES) + (i % 172800) * interval '1 second' END,
  CASE WHEN i % 1009 = 0 THEN now() END, false
FROM generate_series($from, $to) AS i;
SQL
    echo "[scale]   $to rows ($((SECONDS - START)) s, load average $(load))"
  done
  echo "[scale] re-creating the indexes"
  psql -q -d "$DB" -At -c "SELECT indexdef || ';' FROM scale_indexes" | psql -q -d "$DB" -v ON_ERROR_STOP=1
  echo "[scale] decision events for the throughput metric (3 per case decided in the last 60 days)"
  psql -q -d "$DB" -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO "CaseEvents" ("Id", "CaseId", "Kind", "Actor", "Detail", "At")
SELECT gen_random_uuid(), c."Id", k.kind, 'site-reviewer-' || (abs(hashtext(c."Id"::text)) % 40)::text, NULL, c."DecidedAt" - k.lag
FROM "ReviewCases" c
CROSS JOIN (VALUES ('image-approved', interval '2 minutes'), ('image-approved', interval '1 minute'), ('site-approved', interval '0')) AS k(kind, lag)
WHERE c."DecidedAt" >= now() - interval '60 days';
-- The aggregates the service keeps with every change of a case, built as its migrations build them.
TRUNCATE "ReviewCaseCounts";
INSERT INTO "ReviewCaseCounts" ("AreaCode", "SiteCode", "State", "Count")
SELECT "AreaCode", "SiteCode", "State", count(*) FROM "ReviewCases" GROUP BY 1, 2, 3;
TRUNCATE "ReviewDurationBuckets";
INSERT INTO "ReviewDurationBuckets" ("Day", "AreaCode", "Measure", "Bucket", "Count", "Flagged")
SELECT ("FirstReviewedAt" AT TIME ZONE 'UTC')::date, "AreaCode", 1, floor(8 * ln(greatest(0, extract(epoch FROM "FirstReviewedAt" - "OpenedAt"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE "ReturnCount" > 0)
FROM "ReviewCases" WHERE "FirstReviewedAt" IS NOT NULL GROUP BY 1, 2, 4;
INSERT INTO "ReviewDurationBuckets" ("Day", "AreaCode", "Measure", "Bucket", "Count", "Flagged")
SELECT ("DecidedAt" AT TIME ZONE 'UTC')::date, "AreaCode", 2, floor(8 * ln(greatest(0, extract(epoch FROM "DecidedAt" - "OpenedAt"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE "State" = 3)
FROM "ReviewCases" WHERE "DecidedAt" IS NOT NULL GROUP BY 1, 2, 4;
DROP TABLE scale_indexes;
VACUUM (ANALYZE, PARALLEL 0) "ReviewCases";
VACUUM (ANALYZE, PARALLEL 0) "CaseEvents";
SQL
  echo "[scale] seeded in $((SECONDS - START)) s: $(psql -d "$DB" -Atc 'SELECT count(*) FROM "ReviewCases"') cases, $(psql -d "$DB" -Atc 'SELECT count(*) FROM "CaseEvents"') events"
fi

bash "$(dirname "$0")/queue-timings.sh" "$DB"

if [[ "$MODE" == "--keep" || "$MODE" == "--reuse" ]]; then
  echo "[scale] kept $DB (rerun the timings: bash $(dirname "$0")/queue-timings.sh $DB)"
else
  psql -q -d postgres -c "DROP DATABASE \"$DB\"" && echo "[scale] dropped $DB"
fi
