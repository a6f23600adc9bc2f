#!/usr/bin/env bash
# EF Core migrations, one set per provider (PostgreSQL for the distributed run, SQLite for the embedded one),
# generated with dotnet-ef (the version pinned in .config/dotnet-tools.json) for every service.
#   scripts/migrations.sh add <Name>     add a migration <Name> to every service whose model changed
#   scripts/migrations.sh list           list each service's migrations per provider
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null

# service project : DbContext name stem (the provider contexts are <Stem>PostgreSqlDbContext, <Stem>SqliteDbContext)
services=(
  "src/Services/Registration/ExamReview.Registration:Registration"
  "src/Services/MaterialStorage/ExamReview.MaterialStorage:MaterialStorage"
  "src/Services/ReviewWorkflow/ExamReview.ReviewWorkflow:Review"
  "src/Services/Notification/ExamReview.Notification:Notification"
)

command="${1:-}"
case "$command" in
  add)
    name="${2:?usage: scripts/migrations.sh add <Name>}"
    for entry in "${services[@]}"; do
      project="${entry%%:*}"; stem="${entry##*:}"
      [ -d "$project" ] || continue
      dotnet build "$project" -m:1 -nologo -clp:ErrorsOnly >/dev/null
      for provider in PostgreSql Sqlite; do
        dotnet ef migrations add "$name" --no-build --project "$project" --context "${stem}${provider}DbContext" \
          --output-dir "Data/Migrations/$provider" >/dev/null
        echo "$(basename "$project"): $name ($provider)"
      done
    done
    ;;
  list)
    for entry in "${services[@]}"; do
      project="${entry%%:*}"; stem="${entry##*:}"
      [ -d "$project" ] || continue
      for provider in PostgreSql Sqlite; do
        echo "== $(basename "$project") ($provider)"
        dotnet ef migrations list --project "$project" --context "${stem}${provider}DbContext" --no-connect
      done
    done
    ;;
  *)
    echo "usage: scripts/migrations.sh add <Name> | list" >&2
    exit 2
    ;;
esac
