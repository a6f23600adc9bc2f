#!/usr/bin/env bash
# Real PostgreSQL, RabbitMQ and an S3-compatible server (s3rver) on loopback, for the
# test suite and the distributed run. No Docker: Debian packages + npm.
#
#   scripts/infra.sh install       apt packages (only the missing ones) + npm ci in tools/s3rver
#   scripts/infra.sh start         install if needed, start all three (idempotent)
#   scripts/infra.sh stop          stop all three (safe when nothing runs)
#   scripts/infra.sh clean         stop, then delete all server state (databases, queues, objects)
#   scripts/infra.sh status        one line per server; exit 0 only if all are up
#   scripts/infra.sh env           `export` lines to eval: eval "$(scripts/infra.sh env)"
#   scripts/infra.sh broker-stop   stop only the RabbitMQ application (outage test)
#   scripts/infra.sh broker-start  start it again and wait until it accepts AMQP
#   scripts/infra.sh rabbitmqctl … rabbitmqctl against our node (e.g. list_queues name type)
#
# Ports (environment overrides): EXAMREVIEW_PG_PORT (55432), EXAMREVIEW_AMQP_PORT (55672),
# EXAMREVIEW_S3_PORT (54569). RabbitMQ also uses AMQP+1 (Erlang distribution), AMQP+2 (its
# own epmd) and AMQP+3..AMQP+12 (CLI tools), all on 127.0.0.1 only.
# State lives in <repo>/.infra (EXAMREVIEW_INFRA_DIR overrides); logs are in .infra/*/log*.
set -euo pipefail

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
REPO="$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd)"
STATE="${EXAMREVIEW_INFRA_DIR:-$REPO/.infra}"

PG_PORT="${EXAMREVIEW_PG_PORT:-55432}"
AMQP_PORT="${EXAMREVIEW_AMQP_PORT:-55672}"
S3_PORT="${EXAMREVIEW_S3_PORT:-54569}"
DIST_PORT="${EXAMREVIEW_AMQP_DIST_PORT:-$((AMQP_PORT + 1))}"
EPMD_PORT="${EXAMREVIEW_EPMD_PORT:-$((AMQP_PORT + 2))}"
CTL_PORT_MIN=$((AMQP_PORT + 3))
CTL_PORT_MAX=$((AMQP_PORT + 12))

DB_USER=examreview
DB_PASS=examreview
MQ_USER=examreview
MQ_PASS=examreview
MQ_NODE="${EXAMREVIEW_RABBIT_NODE:-examreview@localhost}"
S3_BUCKET=examreview-materials
S3_KEY=S3RVER # s3rver's built-in account (it does not check V4 signatures, but the key must exist)
S3_SECRET=S3RVER

# libvips itself comes with NetVips.Native (NuGet); libheif1 decodes HEIC (NetVips.Native has no HEVC decoder).
# libfontconfig1 + fonts-wqy-microhei: SkiaSharp's drawn examples and PDFs, the watermark's CJK text; poppler-utils:
# tests rasterise the PDFs (pdftoppm). libgtk-3-0: OpenCvSharp's official runtime links GTK (loads only with it);
# opencv-data: the Haar cascades of the ID photo's face checks (/usr/share/opencv4/haarcascades).
APT_PACKAGES=(postgresql rabbitmq-server libheif1 fonts-wqy-microhei fontconfig-config libfontconfig1 poppler-utils libgtk-3-0 opencv-data)
S3RVER_DIR="$REPO/tools/s3rver"
S3RVER_VERSION=3.7.1

PG_MAJOR_WANTED=15
RMQ_DIR="$STATE/rabbitmq"
S3_DIR="$STATE/s3"

# ---------------------------------------------------------------------------- helpers

T0=0
log() { printf '[infra] %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
step_start() { T0="$(now)"; }
step_done() { log "$* ($(elapsed "$T0"))"; }

# fail NAME LOGFILE MESSAGE: say which server failed and show the end of its log.
fail() {
  local name="$1" logfile="$2"; shift 2
  printf '[infra] ERROR: %s: %s\n' "$name" "$*" >&2
  if [[ -n "$logfile" && -f "$logfile" ]]; then
    printf '[infra] --- last lines of %s ---\n' "$logfile" >&2
    tail -n 40 "$logfile" >&2 || true
    printf '[infra] --- end of %s ---\n' "$logfile" >&2
  fi
  exit 1
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until SECONDS CMD...: poll CMD every 0.2 s.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# alive PID: running and not a zombie (an orphan's zombie may linger when PID 1 does not reap).
alive() {
  local st
  st="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

is_root() { [[ "$(id -u)" == 0 ]]; }

as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else echo "[infra] ERROR: need root for: $*" >&2; return 1
  fi
}

state_hash() { printf "%s" "$STATE" | sha1sum | cut -c1-10; }

# Serialise mutating commands (two test projects calling `start` at once). Daemons are
# launched with 9>&- so they do not inherit (and keep) the lock.
take_lock() {
  mkdir -p "$STATE"
  chmod 755 "$STATE" 2>/dev/null || true
  exec 9>"$STATE/.lock"
  flock -w 900 9 || { echo "[infra] ERROR: could not lock $STATE/.lock" >&2; exit 1; }
}

# ---------------------------------------------------------------------------- install

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# service_running SERVICE: the system instance runs (a process of its OS user with a telltale
# argument; ours run from .infra or as root). Reads /proc: procps may be absent.
service_running() {
  local user pat uid f
  case "$1" in
    postgresql) user=postgres pat=/var/lib/postgresql/ ;;
    rabbitmq-server) user=rabbitmq pat=beam ;;
    *) return 1 ;;
  esac
  uid="$(id -u "$user" 2>/dev/null)" || return 1
  for f in /proc/[0-9]*; do
    [[ "$(stat -c %u "$f" 2>/dev/null)" == "$uid" ]] || continue
    if grep -qa -- "$pat" "$f/cmdline" 2>/dev/null; then return 0; fi
  done
  return 1
}

# A freshly installed package's postinst may start the system service (postgres on 5432,
# rabbit@host on 5672 with epmd on 4369). Ours do not depend on them (own ports, own epmd,
# own cookie), but nobody asked for them: stop what our own install just started.
stop_fresh_system_service() {
  local svc="$1"
  if [[ "${EXAMREVIEW_KEEP_SYSTEM_SERVICES:-0}" == 1 ]]; then return 0; fi
  if ! service_running "$svc"; then return 0; fi
  {
    if [[ "$svc" == postgresql ]] && command -v pg_ctlcluster >/dev/null; then
      pg_ctlcluster "$PG_MAJOR_WANTED" main stop || true
    fi
    if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
      systemctl stop "$svc" || true
    else
      service "$svc" stop || invoke-rc.d "$svc" stop || true
    fi
  } >>"$STATE/install.log" 2>&1 </dev/null 9>&- || true
  log "install: stopped the system $svc service its postinst started (ours run separately)"
}

apt_install() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  # node runs s3rver, npm installs it: Debian's nodejs/npm only if the machine lacks them.
  if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
  if ! command -v npm >/dev/null 2>&1 && ! s3rver_installed; then missing+=(npm); fi
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  step_start
  local apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  export DEBIAN_FRONTEND=noninteractive
  log "install: apt-get update + install ${missing[*]} (log: $STATE/install.log)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update \
    >>"$STATE/install.log" 2>&1 </dev/null 9>&- || fail apt "$STATE/install.log" "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "${missing[@]}" \
    >>"$STATE/install.log" 2>&1 </dev/null 9>&- || fail apt "$STATE/install.log" "apt-get install failed"
  step_done "install: apt packages installed"
  for p in "${missing[@]}"; do
    case "$p" in postgresql | rabbitmq-server) stop_fresh_system_service "$p" ;; esac
  done
}

s3rver_installed() {
  [[ -f "$S3RVER_DIR/node_modules/s3rver/package.json" && -f "$S3RVER_DIR/node_modules/.examreview-lock-sha" ]] || return 1
  [[ "$(cat "$S3RVER_DIR/node_modules/.examreview-lock-sha")" == "$(sha1sum <"$S3RVER_DIR/package-lock.json")" ]] || return 1
  grep -q "\"version\": \"$S3RVER_VERSION\"" "$S3RVER_DIR/node_modules/s3rver/package.json"
}

npm_install() {
  s3rver_installed && return 0
  [[ -f "$S3RVER_DIR/package-lock.json" ]] || fail s3rver "" "missing $S3RVER_DIR/package-lock.json"
  step_start
  (cd "$S3RVER_DIR" && npm ci --no-audit --no-fund --loglevel=error) \
    >>"$STATE/install.log" 2>&1 </dev/null 9>&- || fail s3rver "$STATE/install.log" "npm ci in tools/s3rver failed"
  sha1sum <"$S3RVER_DIR/package-lock.json" >"$S3RVER_DIR/node_modules/.examreview-lock-sha"
  step_done "install: s3rver $S3RVER_VERSION (npm ci)"
}

pg_bin_dir() {
  if [[ -x "/usr/lib/postgresql/$PG_MAJOR_WANTED/bin/initdb" ]]; then
    echo "/usr/lib/postgresql/$PG_MAJOR_WANTED/bin"
  else
    # shellcheck disable=SC2012
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
  fi
}

installed() {
  local p
  for p in "${APT_PACKAGES[@]}"; do pkg_installed "$p" || return 1; done
  command -v node >/dev/null 2>&1 && s3rver_installed && [[ -n "$(pg_bin_dir)" ]]
}

cmd_install() {
  mkdir -p "$STATE"
  apt_install
  npm_install
}

# ---------------------------------------------------------------------------- PostgreSQL
# The cluster belongs to the `postgres` OS user (postgres refuses to run as root). It lives
# in .infra/pg unless that user cannot reach it, then in /tmp/examreview-infra-<hash>/pg;
# the choice is remembered in .infra/pg.path.

pg_as() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_base() {
  if [[ -f "$STATE/pg.path" ]]; then cat "$STATE/pg.path"; else echo "$STATE/pg"; fi
}

pg_choose_base() {
  local base="$STATE/pg"
  mkdir -p "$base"
  if is_root; then
    chown postgres:postgres "$base"
    chmod 700 "$base"
    if ! runuser -u postgres -- test -w "$base" 2>/dev/null; then
      base="/tmp/examreview-infra-$(state_hash)/pg"
      mkdir -p "$base"
      chmod 755 "$(dirname "$base")"
      chown postgres:postgres "$base"
      chmod 700 "$base"
    fi
  fi
  # Unix socket paths are limited to 107 bytes.
  local sock="$base/run"
  if ((${#sock} + 20 > 100)); then
    base="/tmp/examreview-infra-$(state_hash)/pg"
    mkdir -p "$base"
    if is_root; then chown postgres:postgres "$base"; fi
    chmod 700 "$base"
  fi
  echo "$base" >"$STATE/pg.path"
}

pg_ctl_() { pg_as "$(pg_bin_dir)/pg_ctl" "$@"; }

pg_postmaster_pid() { head -n 1 "$(pg_base)/data/postmaster.pid" 2>/dev/null || true; }

pg_running() {
  local data pid; data="$(pg_base)/data"
  pid="$(pg_postmaster_pid)"
  [[ -f "$data/PG_VERSION" && -n "$pid" ]] && alive "$pid" && pg_ctl_ -D "$data" status >/dev/null 2>&1
}

pg_ready() { "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

pg_psql_super() {
  local base; base="$(pg_base)"
  "$(pg_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$base/run" -p "$PG_PORT" -U postgres -d postgres "$@"
}

start_pg() {
  step_start
  local bin; bin="$(pg_bin_dir)"
  [[ -n "$bin" ]] || fail postgres "" "no /usr/lib/postgresql/*/bin (run: $0 install)"
  if pg_running; then
    pg_ready || fail postgres "$(pg_base)/log" "running but not accepting connections on 127.0.0.1:$PG_PORT"
    log "postgres: already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  pg_choose_base
  local base data logf
  base="$(pg_base)"; data="$base/data"; logf="$base/log"
  if port_open "$PG_PORT"; then
    fail postgres "" "port $PG_PORT is taken by another process (set EXAMREVIEW_PG_PORT)"
  fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    rm -rf "$data"
    pg_as mkdir -p "$base/run"
    pg_as "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --no-instructions -N \
      >"$base/initdb.log" 2>&1 </dev/null 9>&- || fail postgres "$base/initdb.log" "initdb failed"
    pg_as tee -a "$data/postgresql.conf" >/dev/null <<EOF

# --- examreview test cluster (scripts/infra.sh) ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$base/run'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
log_timezone = 'UTC'
timezone = 'UTC'
EOF
  fi
  pg_as mkdir -p "$base/run"
  if [[ -f "$data/postmaster.pid" ]]; then
    # Left by a killed server (postgres would take a zombie's pid for a live one).
    rm -f "$data/postmaster.pid"
    log "postgres: removed stale postmaster.pid"
  fi
  pg_ctl_ -D "$data" -l "$logf" -w -t 90 start >/dev/null 2>&1 </dev/null 9>&- \
    || fail postgres "$logf" "pg_ctl start failed"
  wait_until 60 pg_ready || fail postgres "$logf" "not accepting connections on 127.0.0.1:$PG_PORT"
  pg_psql_super >>"$base/setup.log" 2>&1 <<EOF || fail postgres "$base/setup.log" "creating role $DB_USER failed"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS';
  ELSE
    ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS';
  END IF;
END
\$\$;
EOF
  step_done "postgres: up on 127.0.0.1:$PG_PORT (role $DB_USER, data $data)"
}

stop_pg() {
  local data; data="$(pg_base)/data"
  if pg_running; then
    step_start
    pg_ctl_ -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 </dev/null \
      || fail postgres "$(pg_base)/log" "pg_ctl stop failed"
    step_done "postgres: stopped"
  else
    log "postgres: not running"
  fi
}

# ---------------------------------------------------------------------------- RabbitMQ
# Our own Erlang node, run as the invoking user (root) with its own HOME (so its own
# .erlang.cookie), its own epmd on 127.0.0.1:$EPMD_PORT, own distribution port, own
# config/env/plugins files, data and logs under .infra/rabbitmq. It shares nothing with the
# system rabbit@<host> node (cookie in /var/lib/rabbitmq, epmd 4369, ports 5672/25672).

RMQ_SBIN=/usr/lib/rabbitmq/bin

rmq_env_vars() {
  RMQ_ENV=(
    HOME="$RMQ_DIR/home"
    LANG=C.UTF-8 LC_ALL=C.UTF-8
    RABBITMQ_NODENAME="$MQ_NODE"
    RABBITMQ_USE_LONGNAME=false
    RABBITMQ_DIST_PORT="$DIST_PORT"
    RABBITMQ_CTL_DIST_PORT_MIN="$CTL_PORT_MIN"
    RABBITMQ_CTL_DIST_PORT_MAX="$CTL_PORT_MAX"
    ERL_EPMD_PORT="$EPMD_PORT"
    ERL_EPMD_ADDRESS=127.0.0.1
    RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf"
    RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config"
    RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
    RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia"
    RABBITMQ_LOG_BASE="$RMQ_DIR/log"
    RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  )
}

rmq_env() {
  local RMQ_ENV; rmq_env_vars
  env "${RMQ_ENV[@]}" "$@"
}

rmqctl() { rmq_env "$RMQ_SBIN/rabbitmqctl" -n "$MQ_NODE" "$@" </dev/null 9>&-; }
rmq_log() { echo "$RMQ_DIR/log/startup.log"; }

# The Erlang node answers (the RabbitMQ application may be stopped).
rmq_node_up() { port_open "$EPMD_PORT" && rmqctl -q ping >/dev/null 2>&1; }

rmq_prepare() {
  mkdir -p "$RMQ_DIR/home" "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
  chmod 700 "$RMQ_DIR/home"
  if [[ ! -f "$RMQ_DIR/home/.erlang.cookie" ]]; then
    (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F' \
      >"$RMQ_DIR/home/.erlang.cookie")
    chmod 400 "$RMQ_DIR/home/.erlang.cookie"
  fi
  : >"$RMQ_DIR/rabbitmq-env.conf" # replaces /etc/rabbitmq/rabbitmq-env.conf for our node
  echo '[].' >"$RMQ_DIR/enabled_plugins"
  cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
# examreview test node (scripts/infra.sh)
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
listeners.ssl = none
log.console = false
log.file.level = info
disk_free_limit.absolute = 50MB
EOF
}

# Our node's name is registered in our private epmd (the VM is up; RabbitMQ may still boot).
rmq_registered() {
  env ERL_EPMD_PORT="$EPMD_PORT" epmd -port "$EPMD_PORT" -names 2>/dev/null \
    | grep -q "^name ${MQ_NODE%@*} at port"
}

# rmq_await [SERVER_PID]: wait until the app runs and AMQP accepts; give up early if the
# server process dies.
rmq_await() {
  local wpid="${1:-}" deadline=$((SECONDS + 120))
  until rmq_registered; do
    if [[ -n "$wpid" ]] && ! alive "$wpid"; then return 1; fi
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.3
  done
  # await_startup waits for the boot to finish (it fails at once if the node is unreachable).
  until rmqctl -q await_startup --timeout 10 >>"$RMQ_DIR/log/ctl.log" 2>&1; do
    if [[ -n "$wpid" ]] && ! alive "$wpid"; then return 1; fi
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.5
  done
  wait_until 30 port_open "$AMQP_PORT"
}

rmq_ensure_user() {
  {
    if ! rmqctl -q list_users 2>/dev/null | awk -v u="$MQ_USER" '$1 == u { f = 1 } END { exit !f }'; then
      rmqctl add_user "$MQ_USER" "$MQ_PASS"
    fi
    rmqctl set_user_tags "$MQ_USER" administrator
    rmqctl set_permissions -p / "$MQ_USER" '.*' '.*' '.*'
  } >>"$RMQ_DIR/log/ctl.log" 2>&1 || fail rabbitmq "$RMQ_DIR/log/ctl.log" "creating user $MQ_USER failed"
}

start_rmq() {
  step_start
  [[ -x "$RMQ_SBIN/rabbitmq-server" ]] || fail rabbitmq "" "rabbitmq-server is not installed (run: $0 install)"
  mkdir -p "$RMQ_DIR"
  if rmq_node_up; then
    # Node alive; the app may have been stopped by broker-stop.
    if ! port_open "$AMQP_PORT"; then
      rmqctl start_app >>"$RMQ_DIR/log/ctl.log" 2>&1 || true
      rmq_await || fail rabbitmq "$(rmq_log)" "node $MQ_NODE is up but the app did not start"
    fi
    rmq_ensure_user
    step_done "rabbitmq: already running on 127.0.0.1:$AMQP_PORT (node $MQ_NODE)"
    return 0
  fi
  local p
  for p in "$AMQP_PORT" "$DIST_PORT"; do
    if port_open "$p"; then
      fail rabbitmq "" "port $p is taken by another process (set EXAMREVIEW_AMQP_PORT)"
    fi
  done
  # Our epmd may outlive a killed node; it is reused. Anything else on its port is an error.
  if port_open "$EPMD_PORT" && ! env ERL_EPMD_PORT="$EPMD_PORT" epmd -port "$EPMD_PORT" -names >/dev/null 2>&1; then
    fail rabbitmq "" "port $EPMD_PORT (epmd) is taken by another process (set EXAMREVIEW_EPMD_PORT)"
  fi
  rmq_prepare
  : >"$(rmq_log)"
  # Foreground script in its own session: the wrapper turns SIGTERM into a clean shutdown and
  # boot errors land in startup.log (with -detached they would be lost).
  # bash -c writes its own pid and execs, so the pid file names the wrapper script.
  rm -f "$RMQ_DIR/server-wrapper.pid"
  # The subshell execs all the way down: no bash of ours stays behind as the server's parent
  # (holding the lock fd or anything else).
  local RMQ_ENV; rmq_env_vars
  (
    exec 9>&- </dev/null >>"$(rmq_log)" 2>&1
    cd "$RMQ_DIR"
    exec env "${RMQ_ENV[@]}" setsid bash -c 'echo $$ >"$1"; shift; exec nohup "$@"' _ \
      "$RMQ_DIR/server-wrapper.pid" "$RMQ_SBIN/rabbitmq-server"
  ) &
  wait_until 10 test -s "$RMQ_DIR/server-wrapper.pid" || fail rabbitmq "$(rmq_log)" "launch failed"
  local wpid; wpid="$(cat "$RMQ_DIR/server-wrapper.pid")"
  rmq_await "$wpid" || fail rabbitmq "$(rmq_log)" "node $MQ_NODE did not start (see also $RMQ_DIR/log/)"
  rmq_ensure_user
  step_done "rabbitmq: up on 127.0.0.1:$AMQP_PORT (node $MQ_NODE, user $MQ_USER)"
}

rmq_kill_epmd() {
  if port_open "$EPMD_PORT"; then
    env ERL_EPMD_PORT="$EPMD_PORT" epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
  fi
}

stop_rmq() {
  if rmq_node_up; then
    step_start
    local pidf="$RMQ_DIR/rabbitmq.pid"
    if [[ -f "$pidf" ]]; then
      rmqctl stop "$pidf" >>"$RMQ_DIR/log/ctl.log" 2>&1 || true
    else
      rmqctl stop >>"$RMQ_DIR/log/ctl.log" 2>&1 || true
    fi
    wait_until 30 bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT) 2>/dev/null" || true
    rmq_kill_epmd
    step_done "rabbitmq: stopped"
  else
    # Leftovers of a crashed node, if any.
    local pid
    for pid in "$(cat "$RMQ_DIR/rabbitmq.pid" 2>/dev/null || true)" "$(cat "$RMQ_DIR/server-wrapper.pid" 2>/dev/null || true)"; do
      if [[ -n "$pid" ]] && alive "$pid" && grep -qa "$RMQ_DIR" "/proc/$pid/environ" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
      fi
    done
    rmq_kill_epmd
    log "rabbitmq: not running"
  fi
}

cmd_broker_stop() {
  rmq_node_up || fail rabbitmq "" "node $MQ_NODE is not running (run: $0 start)"
  step_start
  rmqctl stop_app >>"$RMQ_DIR/log/ctl.log" 2>&1 || fail rabbitmq "$RMQ_DIR/log/ctl.log" "stop_app failed"
  wait_until 30 bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT) 2>/dev/null" \
    || fail rabbitmq "$(rmq_log)" "AMQP port $AMQP_PORT still open after stop_app"
  step_done "rabbitmq: application stopped (node $MQ_NODE still alive; AMQP port closed)"
}

cmd_broker_start() {
  rmq_node_up || fail rabbitmq "" "node $MQ_NODE is not running (run: $0 start)"
  step_start
  rmqctl start_app >>"$RMQ_DIR/log/ctl.log" 2>&1 || fail rabbitmq "$RMQ_DIR/log/ctl.log" "start_app failed"
  rmq_await || fail rabbitmq "$(rmq_log)" "application did not come back"
  rmq_ensure_user
  step_done "rabbitmq: application started on 127.0.0.1:$AMQP_PORT"
}

# ---------------------------------------------------------------------------- s3rver

s3_pid() {
  local pid
  pid="$(cat "$S3_DIR/s3rver.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && alive "$pid" && grep -qa "s3rver" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

# An HTTP answer (any status) on the S3 port.
s3_http_ok() {
  local line
  line="$( (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT" || exit 1
    printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    head -n 1 <&3) 2>/dev/null)" || return 1
  [[ "$line" == HTTP/* ]]
}

start_s3() {
  step_start
  local bin="$S3RVER_DIR/node_modules/s3rver/bin/s3rver.js"
  [[ -f "$bin" ]] || fail s3rver "" "$bin missing (run: $0 install)"
  if [[ -n "$(s3_pid)" ]] && s3_http_ok; then
    log "s3rver: already running on 127.0.0.1:$S3_PORT"
    return 0
  fi
  if port_open "$S3_PORT"; then
    fail s3rver "" "port $S3_PORT is taken by another process (set EXAMREVIEW_S3_PORT)"
  fi
  mkdir -p "$S3_DIR/data"
  local logf="$S3_DIR/s3rver.log"
  : >"$logf"
  # bash -c writes its own pid, then execs node: the pid file names the node process.
  rm -f "$S3_DIR/s3rver.pid"
  (setsid bash -c 'echo $$ >"$1"; shift; exec nohup "$@"' _ "$S3_DIR/s3rver.pid" \
    node "$bin" -d "$S3_DIR/data" -a 127.0.0.1 -p "$S3_PORT" \
    --configure-bucket "$S3_BUCKET" --silent \
    >>"$logf" 2>&1 </dev/null 9>&- &)
  wait_until 10 test -s "$S3_DIR/s3rver.pid" || fail s3rver "$logf" "launch failed"
  local pid deadline=$((SECONDS + 30))
  pid="$(cat "$S3_DIR/s3rver.pid")"
  until s3_http_ok; do
    if ! alive "$pid"; then fail s3rver "$logf" "process exited"; fi
    if ((SECONDS >= deadline)); then fail s3rver "$logf" "no HTTP answer on 127.0.0.1:$S3_PORT"; fi
    sleep 0.2
  done
  step_done "s3rver: up on 127.0.0.1:$S3_PORT (bucket $S3_BUCKET)"
}

stop_s3() {
  local pid; pid="$(s3_pid || true)"
  if [[ -n "$pid" ]]; then
    step_start
    kill "$pid" 2>/dev/null || true
    wait_until 10 eval "! alive $pid" || kill -9 "$pid" 2>/dev/null || true
    rm -f "$S3_DIR/s3rver.pid"
    step_done "s3rver: stopped"
  else
    rm -f "$S3_DIR/s3rver.pid"
    log "s3rver: not running"
  fi
}

# ---------------------------------------------------------------------------- commands

cmd_start() {
  take_lock
  local t; t="$(now)"
  if ! installed; then cmd_install; fi
  start_pg
  start_rmq
  start_s3
  log "all up ($(elapsed "$t")); eval \"\$($SCRIPT_PATH env)\" for the connection settings"
}

cmd_stop() {
  take_lock
  stop_s3
  stop_rmq
  stop_pg
}

# Stop everything and delete all server state (databases, queues, objects); the installed
# packages and tools/s3rver/node_modules stay.
cmd_clean() {
  cmd_stop
  local base; base="$(pg_base)"
  rm -rf "$STATE/pg" "$STATE/pg.path" "$RMQ_DIR" "$S3_DIR"
  if [[ "$base" == /tmp/examreview-infra-* ]]; then rm -rf "$(dirname "$base")"; fi
  log "clean: removed server state under $STATE"
}

cmd_status() {
  local rc=0
  if pg_ready; then log "postgres: up on 127.0.0.1:$PG_PORT"; else log "postgres: down"; rc=3; fi
  if rmq_node_up; then
    if port_open "$AMQP_PORT"; then log "rabbitmq: up on 127.0.0.1:$AMQP_PORT (node $MQ_NODE)"
    else log "rabbitmq: node $MQ_NODE alive, application stopped (AMQP port closed)"; rc=3; fi
  else log "rabbitmq: down"; rc=3; fi
  if s3_http_ok; then log "s3rver: up on 127.0.0.1:$S3_PORT"; else log "s3rver: down"; rc=3; fi
  return "$rc"
}

cmd_env() {
  cat <<EOF
export EXAMREVIEW_INFRA=1
export EXAMREVIEW_PG="Host=127.0.0.1;Port=$PG_PORT;Username=$DB_USER;Password=$DB_PASS"
export ConnectionStrings__rabbitmq="amqp://$MQ_USER:$MQ_PASS@127.0.0.1:$AMQP_PORT/"
export ConnectionStrings__objectstore="Endpoint=http://127.0.0.1:$S3_PORT;AccessKey=$S3_KEY;SecretKey=$S3_SECRET;Region=us-east-1;Bucket=$S3_BUCKET"
export EXAMREVIEW_INFRA_SCRIPT="$SCRIPT_PATH"
EOF
}

usage() {
  sed -n '2,18p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  case "$cmd" in
    install) take_lock; cmd_install; log "install: done" ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    clean) cmd_clean ;;
    status) cmd_status ;;
    env) cmd_env ;;
    broker-stop) take_lock; cmd_broker_stop ;;
    broker-start) take_lock; cmd_broker_start ;;
    rabbitmqctl)
      shift
      # (a CLI call against a missing node would leave an epmd of its own running)
      port_open "$EPMD_PORT" || fail rabbitmq "" "node $MQ_NODE is not running (run: $0 start)"
      rmqctl "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
