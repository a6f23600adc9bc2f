#!/usr/bin/env bash
# Diagnostic for load runs (issue 19), not a product setting: gives one service's threads scheduling priority for the
# load phase, to see whether a latency tail is CPU contention on a shared machine (the tail then moves to another
# service) or a queue inside the platform (it stays). Started by the load generator when the load starts:
#   LOAD_KEEP=1 bash scripts/load.sh -- --rate 6 --during "bash scripts/renice-during-load.sh ImageValidation"
# New thread-pool threads inherit the nice value of the thread that starts them, so every thread is set again every
# 2 s for 180 s (the load generator waits at most 3 minutes for this command after the load).
set -euo pipefail
SERVICE="${1:?usage: renice-during-load.sh <ServiceName, e.g. ImageValidation> [nice, default -10]}"
NICE="${2:--10}"
sleep 2
PID="$(pgrep -f "bin/Release/net10.0/ExamReview.${SERVICE}\$" | head -1)"
[[ -n "$PID" ]] || { echo "renice-during-load: no ExamReview.${SERVICE} process" >&2; exit 1; }
for _ in $(seq 1 90); do
  for task in /proc/"$PID"/task/*; do renice -n "$NICE" -p "${task##*/}" >/dev/null 2>&1 || true; done
  sleep 2
done
