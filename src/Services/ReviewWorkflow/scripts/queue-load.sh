#!/usr/bin/env bash
# Queue paging under load: creates a scratch PostgreSQL database with ReviewWorkflow's real migrations
# (by starting the built service against it once), seeds N review cases (default 1,000,000), and prints
# the plan and execution time of each queue query shape the API issues: first page and a deep keyset page
# per site/area (with and without a state filter), and "my queue".
#
#   bash scripts/infra.sh start
#   bash src/Services/ReviewWorkflow/scripts/queue-load.sh [cases] [--keep]
#
# Needs `dotnet build src/Services/ReviewWorkflow/ExamReview.ReviewWorkflow` first. Prints timings only;
# nothing here asserts a speed (the numbers depend on the machine).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
CASES="${1:-1000000}"
KEEP="${2:-}"
eval "$(bash "$ROOT/scripts/infra.sh" env)"

field() { echo "$EXAMREVIEW_PG" | tr ';' '\n' | sed -n "s/^$1=//p"; }
export PGHOST="$(field Host)" PGPORT="$(field Port)" PGUSER="$(field Username)" PGPASSWORD="$(field Password)"
DB="rw_load_$(date +%s)"
DLL="$ROOT/src/Services/ReviewWorkflow/ExamReview.ReviewWorkflow/bin/Debug/net10.0/ExamReview.ReviewWorkflow.dll"
[[ -f "$DLL" ]] || { echo "build ReviewWorkflow first: $DLL is missing" >&2; exit 1; }

echo "[load] migrating $DB with the service's own migrations"
PORT=$(( 40000 + RANDOM % 20000 ))
LOG="$(mktemp)"
ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
ConnectionStrings__reviewworkflowdb="$EXAMREVIEW_PG;Database=$DB" \
ConnectionStrings__rabbitmq="$ConnectionStrings__rabbitmq" \
Auth__SigningKeys__0="$(head -c 32 /dev/urandom | base64)" \
ReviewWorkflow__Deadlines__ScanInterval="01:00:00" \
  dotnet "$DLL" >"$LOG" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$PORT/alive" >/dev/null 2>&1 && \
     psql -d "$DB" -Atc 'SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '"'"'%ClaimsDecisionsDeadlines'"'"'' 2>/dev/null | grep -q 1; then
    break
  fi
  sleep 1
done
kill $SERVICE 2>/dev/null || true
wait $SERVICE 2>/dev/null || true
trap - EXIT
psql -d "$DB" -Atc 'SELECT count(*) FROM "__EFMigrationsHistory"' >/dev/null || { echo "migration failed:"; tail -20 "$LOG"; exit 1; }

echo "[load] seeding $CASES cases (31 areas x 10 sites, 60 days of submissions, every state)"
time psql -q -d "$DB" -v ON_ERROR_STOP=1 <<SQL
INSERT INTO "ReviewCases" ("Id", "ApplicationId", "CandidateId", "RegistrationNumber", "AreaCode", "SiteCode", "ExamCategory",
  "State", "SubmissionNumber", "ImageIdsJson", "SubmittedAt", "OpenedAt", "UpdatedAt", "Version", "ReturnCount", "ResubmittedSinceReview",
  "ClaimedBy", "ClaimExpiresAt", "RespondBy", "FirstReviewedAt", "DecidedAt")
SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), lpad(i::text, 13, '0'),
  (10 + i % 31)::text, (10 + i % 31)::text || lpad(((i / 31) % 10)::text, 2, '0'), 'practitioner-clinical',
  (i / 310) % 5, 1, '[]', now() - (i % 5184000) * interval '1 second', now() - interval '61 days', now(), 0, 0, false,
  CASE WHEN i % 50 = 0 THEN 'site-reviewer-' || (i % 7)::text END,
  CASE WHEN i % 50 = 0 THEN now() + interval '10 minutes' END,
  CASE WHEN (i / 310) % 5 = 1 THEN now() + ((i % 48) - 24) * interval '1 hour' END,
  CASE WHEN (i / 310) % 5 <> 0 THEN now() - (i % 5184000) * interval '1 second' + (i % 7200) * interval '1 second' END,
  CASE WHEN (i / 310) % 5 IN (3, 4) THEN now() - (i % 5184000) * interval '1 second' + (i % 172800) * interval '1 second' END
FROM generate_series(1, $CASES) AS i;
ANALYZE "ReviewCases";
SQL

explain() {
  local title="$1" sql="$2"
  echo
  echo "== $title"
  psql -d "$DB" -At -c "EXPLAIN (ANALYZE, BUFFERS) $sql" | grep -E "Index|Seq Scan|Execution Time|Planning Time" | sed 's/^/   /'
}
# The cursor of a deep page (row 500 of one site's queue), read first so the timed query is the keyset query alone.
CURSOR="$(psql -d "$DB" -At -F '|' -c "SELECT \"SubmittedAt\", \"Id\" FROM \"ReviewCases\" WHERE \"SiteCode\" = '1005' AND \"State\" = 0 ORDER BY \"SubmittedAt\", \"Id\" OFFSET 500 LIMIT 1")"
MID="'${CURSOR%%|*}'::timestamptz"
MIDID="'${CURSOR##*|}'::uuid"
explain "site queue, state filter, first page" \
  "SELECT * FROM \"ReviewCases\" WHERE \"SiteCode\" = '1005' AND \"State\" = 0 ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51"
explain "site queue, state filter, deep keyset page (after row 500)" \
  "SELECT * FROM \"ReviewCases\" WHERE \"SiteCode\" = '1005' AND \"State\" = 0 AND \"SubmittedAt\" >= $MID AND (\"SubmittedAt\" > $MID OR \"Id\" > $MIDID) ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51"
explain "site queue, no state filter, first page" \
  "SELECT * FROM \"ReviewCases\" WHERE \"SiteCode\" = '1005' ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51"
explain "area queue, state filter, first page" \
  "SELECT * FROM \"ReviewCases\" WHERE \"AreaCode\" = '15' AND \"State\" = 2 ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51"
explain "area queue, overdue (returned, window ended)" \
  "SELECT * FROM \"ReviewCases\" WHERE \"AreaCode\" = '15' AND \"State\" = 1 AND \"RespondBy\" <= now() ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51"
explain "my queue" \
  "SELECT * FROM \"ReviewCases\" WHERE \"SiteCode\" = '1005' AND \"ClaimedBy\" = 'site-reviewer-3' AND \"ClaimExpiresAt\" > now() ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51"
explain "deadline monitor: returned cases near their window's end" \
  "SELECT \"Id\" FROM \"ReviewCases\" WHERE \"State\" = 1 AND \"RespondBy\" IS NOT NULL AND \"RespondBy\" <= now() + interval '4 hours' ORDER BY \"RespondBy\" LIMIT 200"
explain "operator metrics: cases per status per site and area (whole table)" \
  "SELECT \"AreaCode\", \"SiteCode\", \"State\", count(*) FROM \"ReviewCases\" GROUP BY \"AreaCode\", \"SiteCode\", \"State\""
# The duration figures exactly as ReviewMetricsQuery issues them (last 30 days; national, then one area).
metrics_sql() {
  echo "SELECT count(*)::int, (percentile_disc(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM \"$1\" - \"OpenedAt\"))))::float8,
    (percentile_disc(0.9) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM \"$1\" - \"OpenedAt\"))))::float8, (count(*) FILTER (WHERE $2))::int
    FROM \"ReviewCases\" WHERE \"$1\" >= now() - interval '30 days' AND \"$1\" < now() AND ($3::text IS NULL OR \"AreaCode\" = $3) AND (NULL::text IS NULL OR \"SiteCode\" = NULL)"
}
explain "operator metrics: time to first review, median and p90, last 30 days, national" "$(metrics_sql FirstReviewedAt '"ReturnCount" > 0' NULL)"
explain "operator metrics: time to final decision, median and p90, last 30 days, national" "$(metrics_sql DecidedAt '"State" = 3' NULL)"
explain "operator metrics: time to first review, median and p90, last 30 days, one area" "$(metrics_sql FirstReviewedAt '"ReturnCount" > 0' "'15'")"

if [[ "$KEEP" != "--keep" ]]; then
  psql -q -d postgres -c "DROP DATABASE \"$DB\"" && echo && echo "[load] dropped $DB"
else
  echo && echo "[load] kept $DB"
fi
