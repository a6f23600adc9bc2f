#!/usr/bin/env bash
# p50/p99 of each reviewer queue page shape and each operator metrics query against a seeded database
# (queue-scale.sh makes one), timed by pgbench: one client, extended protocol, a random site (of 310) or area
# (of 31) per execution, latency per execution from pgbench's log. The SQL is what ReviewsApi.List and
# ReviewMetricsQuery issue (EF's shape: parameters, ORDER BY SubmittedAt, Id, LIMIT page size + 1).
#   bash src/Services/ReviewWorkflow/scripts/queue-timings.sh <database> [executions per query, default 200]
set -euo pipefail
DB="${1:?database}"
N="${2:-200}"
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
if [[ -z "${PGHOST:-}" ]]; then
  eval "$(bash "$ROOT/scripts/infra.sh" env)"
  field() { echo "$EXAMREVIEW_PG" | tr ';' '\n' | sed -n "s/^$1=//p"; }
  export PGHOST="$(field Host)" PGPORT="$(field Port)" PGUSER="$(field Username)" PGPASSWORD="$(field Password)"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
COLS='"Id", "ApplicationId", "CandidateId", "RegistrationNumber", "AreaCode", "SiteCode", "ExamCategory", "State", "SubmissionNumber", "ImageIdsJson", "Feedback", "RespondBy", "SubmittedAt", "UpdatedAt", "Version", "OpenedAt", "ClaimedBy", "ClaimedAt", "ClaimExpiresAt", "FirstReviewedAt", "SiteApprovedAt", "DecidedAt", "ReturnCount", "ResubmittedSinceReview", "ReminderSentAt", "MissingMaterialsJson", "AwaitingCorrection", "ResponseWindowExpiredAt", "EscalatedAt"'
SITE='\set a random(10, 40)
\set s random(0, 9)
\set site (:a * 100 + :s)'
AREA='\set a random(10, 40)'
echo "[timings] $DB: $(psql -d "$DB" -Atc 'SELECT count(*) FROM "ReviewCases"') cases; $N executions per query; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-64s %9s %9s %9s\n' "query" "p50 ms" "p99 ms" "max ms"

time_query() {
  local name="$1" n="$2" script="$3"
  printf '%s\n' "$script" >"$WORK/q.sql"
  (cd "$WORK" && rm -f pgbench_log.* && pgbench -n -M extended -c 1 -t "$n" -l -f q.sql "$DB" >/dev/null 2>"$WORK/err") \
    || { echo "  $name: pgbench failed: $(tail -3 "$WORK/err")"; return; }
  awk '{print $3/1000}' "$WORK"/pgbench_log.* | sort -n | awk -v name="$name" '
    { v[NR] = $1 } END { p50 = v[int(NR * 0.5 + 0.999)]; p99 = v[int(NR * 0.99 + 0.999)]; printf "  %-64s %9.2f %9.2f %9.2f\n", name, p50, p99, v[NR] }'
}

q() { echo "SELECT $COLS FROM \"ReviewCases\" WHERE $1 ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51;"; }
# overdue=true and mine=true read the page's keys first (ReviewsApi): the rows whose ids are the first page's.
keys_first() { echo "SELECT $COLS FROM \"ReviewCases\" WHERE \"Id\" IN (SELECT \"Id\" FROM \"ReviewCases\" WHERE $1 ORDER BY \"SubmittedAt\", \"Id\" LIMIT 51) ORDER BY \"SubmittedAt\", \"Id\";"; }
unclaimed='("ClaimedBy" IS NULL OR "ClaimExpiresAt" <= now())'
echo "floors (same run): the cheapest reads of a page's 51 rows, to set the pages beside:"
time_query "floor: one round trip (SELECT 1)" "$N" 'SELECT 1;'
time_query "floor: 51 rows in primary-key order from a random point" "$N" "SELECT $COLS FROM \"ReviewCases\" WHERE \"Id\" >= (SELECT gen_random_uuid()) ORDER BY \"Id\" LIMIT 51;"
echo "reviewer queue pages (first page of 50 unless said):"
time_query "site: state=SiteReview (default page)" "$N" "$SITE
$(q "\"SiteCode\" = :site::text AND \"State\" = 0")"
time_query "site: state=SiteReview, claimed=false (the load generator's page)" "$N" "$SITE
$(q "\"SiteCode\" = :site::text AND \"State\" = 0 AND $unclaimed")"
time_query "site: no filter" "$N" "$SITE
$(q "\"SiteCode\" = :site::text")"
time_query "site: state=SiteReview, keyset page deep in the queue" "$N" "$SITE
$(q "\"SiteCode\" = :site::text AND \"State\" = 0 AND \"SubmittedAt\" >= now() - interval '20 days' AND (\"SubmittedAt\" > now() - interval '20 days' OR \"Id\" > '00000000-0000-0000-0000-000000000000'::uuid)")"
time_query "site: mine (claimed by me, lease live; keys first)" "$N" "$SITE
$(keys_first "\"SiteCode\" = :site::text AND \"ClaimedBy\" = 'site-reviewer-3' AND \"ClaimExpiresAt\" > now()")"
time_query "area: mine (claimed by me, lease live; keys first)" "$N" "$AREA
$(keys_first "\"AreaCode\" = :a::text AND \"ClaimedBy\" = 'site-reviewer-3' AND \"ClaimExpiresAt\" > now()")"
time_query "site: resubmitted=true" "$N" "$SITE
$(q "\"SiteCode\" = :site::text AND \"ResubmittedSinceReview\"")"
time_query "site: submittedFrom/To (one day, 300 days ago)" "$N" "$SITE
$(q "\"SiteCode\" = :site::text AND \"SubmittedAt\" >= now() - interval '300 days' AND \"SubmittedAt\" < now() - interval '299 days'")"
time_query "area: state=AreaReview" "$N" "$AREA
$(q "\"AreaCode\" = :a::text AND \"State\" = 2")"
time_query "area: overdue=true (returned, window ended; keys first)" "$N" "$AREA
$(keys_first "\"AreaCode\" = :a::text AND \"State\" = 1 AND \"RespondBy\" <= now()")"
time_query "site: overdue=true (keys first)" "$N" "$SITE
$(keys_first "\"SiteCode\" = :site::text AND \"State\" = 1 AND \"RespondBy\" <= now()")"
time_query "area: escalated=true" "$N" "$AREA
$(q "\"AreaCode\" = :a::text AND \"EscalatedAt\" IS NOT NULL")"
time_query "area: state=Approved (history), no other filter" "$N" "$AREA
$(q "\"AreaCode\" = :a::text AND \"State\" = 3")"
time_query "area: category + claimed=false" "$N" "$AREA
$(q "\"AreaCode\" = :a::text AND \"ExamCategory\" = 'practitioner-clinical' AND $unclaimed")"

M="${METRICS_EXECUTIONS:-10}"
echo "operator metrics ($M executions each):"
durations() {
  echo "SELECT count(*)::int, (percentile_disc(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM \"$1\" - \"OpenedAt\"))))::float8,
  (percentile_disc(0.9) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM \"$1\" - \"OpenedAt\"))))::float8, (count(*) FILTER (WHERE $2))::int
  FROM \"ReviewCases\" WHERE \"$1\" >= now() - interval '30 days' AND \"$1\" < now() AND ($3::text IS NULL OR \"AreaCode\" = $3) AND (NULL::text IS NULL OR \"SiteCode\" = NULL);"
}
if psql -d "$DB" -Atc "SELECT to_regclass('\"ReviewCaseCounts\"') IS NOT NULL" | grep -q t; then
  time_query "cases per status per site and area (pre-aggregated counts)" "$M" 'SELECT "AreaCode", "SiteCode", "State", "Count" FROM "ReviewCaseCounts" WHERE "Count" <> 0;'
  time_query "cases per status, one area (pre-aggregated counts)" "$M" "$AREA
SELECT \"AreaCode\", \"SiteCode\", \"State\", \"Count\" FROM \"ReviewCaseCounts\" WHERE \"AreaCode\" = :a::text AND \"Count\" <> 0;"
fi
time_query "cases per status per site and area (GROUP BY over every case)" "$M" 'SELECT "AreaCode", "SiteCode", "State", count(*) FROM "ReviewCases" GROUP BY "AreaCode", "SiteCode", "State";'
time_query "cases per status, one area (GROUP BY)" "$M" "$AREA
SELECT \"AreaCode\", \"SiteCode\", \"State\", count(*) FROM \"ReviewCases\" WHERE \"AreaCode\" = :a::text GROUP BY \"AreaCode\", \"SiteCode\", \"State\";"
if psql -d "$DB" -Atc "SELECT to_regclass('\"ReviewDurationBuckets\"') IS NOT NULL" | grep -q t; then
  # What ReviewMetricsQuery issues above 20,000 cases: the whole days' histogram rows plus the two partial days' cases.
  time_query "time to first review, 30 days, national (histogram + edges)" "$M" "SELECT \"Bucket\", sum(\"Count\"), sum(\"Flagged\") FROM \"ReviewDurationBuckets\" WHERE \"Measure\" = 1
  AND \"Day\" >= (now() AT TIME ZONE 'UTC')::date - 29 AND \"Day\" < (now() AT TIME ZONE 'UTC')::date AND (NULL::text IS NULL OR \"AreaCode\" = NULL) GROUP BY 1;
SELECT floor(8 * ln(greatest(0, extract(epoch FROM \"FirstReviewedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"ReturnCount\" > 0) FROM \"ReviewCases\"
  WHERE \"FirstReviewedAt\" >= now() - interval '30 days' AND \"FirstReviewedAt\" < (((now() AT TIME ZONE 'UTC')::date - 29)::timestamp AT TIME ZONE 'UTC') AND (NULL::text IS NULL OR \"AreaCode\" = NULL) GROUP BY 1;
SELECT floor(8 * ln(greatest(0, extract(epoch FROM \"FirstReviewedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"ReturnCount\" > 0) FROM \"ReviewCases\"
  WHERE \"FirstReviewedAt\" >= ((now() AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC') AND \"FirstReviewedAt\" < now() AND (NULL::text IS NULL OR \"AreaCode\" = NULL) GROUP BY 1;"
  time_query "time to final decision, 30 days, national (histogram + edges)" "$M" "SELECT \"Bucket\", sum(\"Count\"), sum(\"Flagged\") FROM \"ReviewDurationBuckets\" WHERE \"Measure\" = 2
  AND \"Day\" >= (now() AT TIME ZONE 'UTC')::date - 29 AND \"Day\" < (now() AT TIME ZONE 'UTC')::date AND (NULL::text IS NULL OR \"AreaCode\" = NULL) GROUP BY 1;
SELECT floor(8 * ln(greatest(0, extract(epoch FROM \"DecidedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"State\" = 3) FROM \"ReviewCases\"
  WHERE \"DecidedAt\" >= now() - interval '30 days' AND \"DecidedAt\" < (((now() AT TIME ZONE 'UTC')::date - 29)::timestamp AT TIME ZONE 'UTC') AND (NULL::text IS NULL OR \"AreaCode\" = NULL) GROUP BY 1;
SELECT floor(8 * ln(greatest(0, extract(epoch FROM \"DecidedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"State\" = 3) FROM \"ReviewCases\"
  WHERE \"DecidedAt\" >= ((now() AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC') AND \"DecidedAt\" < now() AND (NULL::text IS NULL OR \"AreaCode\" = NULL) GROUP BY 1;"
  time_query "time to first review, 30 days, one area (histogram + edges)" "$M" "$AREA
SELECT \"Bucket\", sum(\"Count\"), sum(\"Flagged\") FROM \"ReviewDurationBuckets\" WHERE \"Measure\" = 1
  AND \"Day\" >= (now() AT TIME ZONE 'UTC')::date - 29 AND \"Day\" < (now() AT TIME ZONE 'UTC')::date AND (:a::text IS NULL OR \"AreaCode\" = :a) GROUP BY 1;
SELECT floor(8 * ln(greatest(0, extract(epoch FROM \"FirstReviewedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"ReturnCount\" > 0) FROM \"ReviewCases\"
  WHERE \"FirstReviewedAt\" >= now() - interval '30 days' AND \"FirstReviewedAt\" < (((now() AT TIME ZONE 'UTC')::date - 29)::timestamp AT TIME ZONE 'UTC') AND (:a::text IS NULL OR \"AreaCode\" = :a) GROUP BY 1;
SELECT floor(8 * ln(greatest(0, extract(epoch FROM \"FirstReviewedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"ReturnCount\" > 0) FROM \"ReviewCases\"
  WHERE \"FirstReviewedAt\" >= ((now() AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC') AND \"FirstReviewedAt\" < now() AND (:a::text IS NULL OR \"AreaCode\" = :a) GROUP BY 1;"
fi
time_query "time to first review, median/p90, 30 days, national" "$M" "$(durations FirstReviewedAt '"ReturnCount" > 0' NULL)"
time_query "time to final decision, median/p90, 30 days, national" "$M" "$(durations DecidedAt '"State" = 3' NULL)"
time_query "time to first review, median/p90, 30 days, one area" "$M" "$AREA
$(durations FirstReviewedAt '"ReturnCount" > 0' ":a::text")"
time_query "throughput per reviewer, 30 days, national (CaseEvents)" "$M" "SELECT \"Actor\", \"Kind\", count(*) FROM \"CaseEvents\" WHERE \"Kind\" IN ('image-approved','image-replacement-requested','site-approved','area-approved','returned-site','returned-area','rejected') AND \"At\" >= now() - interval '30 days' AND \"At\" < now() GROUP BY \"Actor\", \"Kind\";"
