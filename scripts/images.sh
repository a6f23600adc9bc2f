#!/usr/bin/env bash
# The container images docker-compose.yml and the tests run, built on this machine (no image registry is
# reachable here): a Debian bookworm base from debootstrap, PostgreSQL 15, RabbitMQ, an S3 server (s3rver),
# ClamAV's clamd (Debian's clamav-daemon with the project's EICAR test signature as its database), and one image
# per service from a self-contained publish (the gateway's with the reviewer console's build baked in). Installs
# Docker (Debian's docker.io), debootstrap, docker-compose and npm when missing and starts dockerd when no engine
# answers; fails loudly when it cannot.
#
#   scripts/images.sh            build what is missing or out of date (cached: an image whose inputs did not
#                                change is kept; inputs are hashed into the label org.examreview.inputs)
#   scripts/images.sh --force    rebuild every image
#   scripts/images.sh --infra    only the base and the servers (PostgreSQL, RabbitMQ, S3, ClamAV), no service
#   scripts/images.sh --clean    remove every image this script builds (for a cold-cache measurement)
#   scripts/images.sh --list     print the image names
#
# Settings (environment): EXAMREVIEW_IMAGE_CACHE (work files, default /var/lib/examreview-images),
# EXAMREVIEW_DOCKER_DATA (dockerd's data root when this script starts it, default /var/lib/docker),
# EXAMREVIEW_DOTNET_BASE (base of the service images, default our Debian base; the official
# mcr.microsoft.com/dotnet/runtime-deps:10.0 works where it can be pulled).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${EXAMREVIEW_IMAGE_CACHE:-/var/lib/examreview-images}"
DOCKER_DATA="${EXAMREVIEW_DOCKER_DATA:-/var/lib/docker}"
# Debian's dockerd 20.10 speaks API 1.41; the newer client on PATH must not ask for more. The classic
# builder: BuildKit needs the buildx plugin, which Debian's docker.io does not ship.
export DOCKER_API_VERSION=1.41 DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

BASE_ROOTFS=examreview/debian:bookworm-rootfs
BASE=examreview/debian:bookworm
POSTGRES=examreview/postgres:15
RABBITMQ=examreview/rabbitmq:3
S3=examreview/s3rver:3.7.1
CLAMAV=examreview/clamav:1
SERVICES=(Registration MaterialStorage ImageValidation ReviewWorkflow Notification Gateway)
service_image() { echo "examreview/$(tr '[:upper:]' '[:lower:]' <<<"$1"):local"; }
# The gateway (YARP, the browser's one origin) is published like a service from its own folder.
service_project() {
  if [[ "$1" == Gateway ]]; then echo "src/Gateway/ExamReview.Gateway/ExamReview.Gateway.csproj"; else echo "src/Services/$1/ExamReview.$1/ExamReview.$1.csproj"; fi
}
ALL_IMAGES=("$BASE_ROOTFS" "$BASE" "$POSTGRES" "$RABBITMQ" "$S3" "$CLAMAV")
for s in "${SERVICES[@]}"; do ALL_IMAGES+=("$(service_image "$s")"); done

if [[ "$(id -u)" -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi

# ---------------------------------------------------------------------------- output and timing

START="$(date +%s.%N)"
T0="$START"
log() { printf '[images] %s\n' "$*"; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
step() { T0="$(date +%s.%N)"; }
done_step() { log "$* ($(since "$T0"))"; }
die() {
  log "FAILED: $1"
  if [[ -n "${2:-}" && -f "$2" ]]; then tail -n 40 "$2" | sed 's/^/  | /' >&2; fi
  exit 1
}

# ---------------------------------------------------------------------------- tools and engine

# Debian's client matches Debian's dockerd; any other docker on PATH is used only if it is the only one.
docker_cli() { if [[ -x /usr/bin/docker ]]; then echo /usr/bin/docker; else command -v docker; fi; }
DOCKER=""

install_tools() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || [[ -x /usr/sbin/debootstrap ]] || missing+=(debootstrap)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  # npm installs s3rver from tools/s3rver's lock file into the S3 image's build context.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if ((${#missing[@]})); then
    step
    mkdir -p "$CACHE"
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >"$CACHE/apt.log" 2>&1 || die "apt-get update" "$CACHE/apt.log"
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends "${missing[@]}" >>"$CACHE/apt.log" 2>&1 || die "apt-get install ${missing[*]}" "$CACHE/apt.log"
    done_step "installed ${missing[*]}"
  fi
  DOCKER="$(docker_cli)"
  [[ -n "$DOCKER" ]] || die "no docker client after installing docker.io"
}

engine_up() { "$DOCKER" info >/dev/null 2>&1; }

start_engine() {
  if engine_up; then return 0; fi
  step
  mkdir -p "$CACHE" "$DOCKER_DATA"
  local logf="$CACHE/dockerd.log"
  log "no Docker engine answers: starting dockerd (data root $DOCKER_DATA, log $logf)"
  # Detached from this script: the engine keeps serving the tests and later runs.
  "${SUDO[@]}" setsid nohup dockerd --data-root "$DOCKER_DATA" >>"$logf" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until engine_up; do
    ((SECONDS < deadline)) || die "dockerd did not answer within 60 s" "$logf"
    sleep 0.5
  done
  done_step "dockerd up"
}

# ---------------------------------------------------------------------------- cache keys

# A hash of the files' contents (tracked and untracked, ignoring what .gitignore ignores; every file but
# build output outside a git checkout) plus extra words.
# ReadyToRun: the services' own assemblies and their packages (EF Core, Npgsql, MassTransit, …) are compiled ahead of
# time, so a container starting in a spike or after a crash does not JIT every path first. Measured on MaterialStorage
# (session 13, same database and broker): ready after 2.4-2.7 s instead of 4.0-4.4 s, 2.5-2.8 instead of 4.3-4.7 CPU s
# to ready, 5.0-5.7 instead of 5.9-6.8 CPU s over its first 14 s; the image grows by 28 MB. Hot methods are still
# recompiled by the tiered JIT, so the steady state is the same code. Part of the image hash: a change rebuilds.
PUBLISH_FLAGS=(-p:PublishReadyToRun=true)

inputs_hash() {
  local words="$1"
  shift
  {
    echo "$words"
    (cd "$REPO" && { git ls-files -co --exclude-standard -- "$@" 2>/dev/null \
        || find "$@" -type f -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/node_modules/*' 2>/dev/null; } \
      | LC_ALL=C sort | while read -r f; do
      [[ -f "$f" ]] && printf '%s %s\n' "$(sha1sum <"$f" | cut -c1-40)" "$f"
    done)
  } | sha1sum | cut -c1-40
}

image_id() { "$DOCKER" image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
image_inputs() { "$DOCKER" image inspect -f '{{index .Config.Labels "org.examreview.inputs"}}' "$1" 2>/dev/null || true; }

# up_to_date NAME HASH: the image exists and was built from these inputs (and --force was not given).
up_to_date() { [[ "$FORCE" -eq 0 && "$(image_inputs "$1")" == "$2" ]]; }

# build NAME HASH CONTEXT DOCKERFILE [docker build args...]
build() {
  local name="$1" hash="$2" context="$3" dockerfile="$4"
  shift 4
  local logf="$CACHE/logs/$(tr '/:' '__' <<<"$name").log"
  mkdir -p "$CACHE/logs"
  step
  "$DOCKER" build --network host --force-rm --label "org.examreview.inputs=$hash" -t "$name" \
    -f "$dockerfile" "$@" "$context" >"$logf" 2>&1 || die "docker build $name" "$logf"
  done_step "built $name"
}

# ---------------------------------------------------------------------------- images

debian_mirror() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources)"
  fi
  if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

build_base() {
  local mirror
  mirror="$(debian_mirror)"
  if [[ "$FORCE" -eq 1 || -z "$(image_id "$BASE_ROOTFS")" ]]; then
    step
    local rootfs="$CACHE/rootfs" logf="$CACHE/logs/debootstrap.log"
    mkdir -p "$CACHE/logs"
    "${SUDO[@]}" rm -rf "$rootfs"
    "${SUDO[@]}" debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$logf" 2>&1 || die "debootstrap from $mirror" "$logf"
    done_step "debootstrap --variant=minbase bookworm from $mirror"
    step
    "${SUDO[@]}" tar -C "$rootfs" -c . | "$DOCKER" import - "$BASE_ROOTFS" >/dev/null || die "docker import"
    "${SUDO[@]}" rm -rf "$rootfs"
    done_step "imported $BASE_ROOTFS"
  else
    log "cached $BASE_ROOTFS"
  fi
  local hash
  hash="$(inputs_hash "$(image_id "$BASE_ROOTFS") $mirror" docker/base)"
  if up_to_date "$BASE" "$hash"; then log "cached $BASE"; return; fi
  local security="${mirror%/debian}/debian-security"
  build "$BASE" "$hash" "$REPO/docker/base" "$REPO/docker/base/Dockerfile" \
    --build-arg "ROOTFS=$BASE_ROOTFS" --build-arg "MIRROR=$mirror" --build-arg "SECURITY_MIRROR=$security"
}

build_server() { # NAME FOLDER
  local hash
  hash="$(inputs_hash "$(image_id "$BASE")" "docker/$2")"
  if up_to_date "$1" "$hash"; then log "cached $1"; return; fi
  build "$1" "$hash" "$REPO/docker/$2" "$REPO/docker/$2/Dockerfile" --build-arg "BASE=$BASE"
}

build_s3() {
  local hash
  hash="$(inputs_hash "$(image_id "$BASE")" docker/s3 tools/s3rver/package.json tools/s3rver/package-lock.json)"
  if up_to_date "$S3" "$hash"; then log "cached $S3"; return; fi
  # The context: this image's files plus s3rver installed from the project's lock file (pure JavaScript).
  step
  local context="$CACHE/context/s3"
  rm -rf "$context" && mkdir -p "$context"
  cp "$REPO"/docker/s3/* "$REPO/tools/s3rver/package.json" "$REPO/tools/s3rver/package-lock.json" "$context/"
  command -v npm >/dev/null 2>&1 || die "npm is missing (Debian's npm did not install)"
  (cd "$context" && npm ci --omit=dev --no-audit --no-fund >"$CACHE/logs/s3-npm.log" 2>&1) || die "npm ci for s3rver" "$CACHE/logs/s3-npm.log"
  done_step "npm ci s3rver"
  build "$S3" "$hash" "$context" "$context/Dockerfile" --build-arg "BASE=$BASE"
}

build_clamav() {
  local hash
  hash="$(inputs_hash "$(image_id "$BASE")" docker/clamav tools/clamav)"
  if up_to_date "$CLAMAV" "$hash"; then log "cached $CLAMAV"; return; fi
  # The context: clamd's configuration and the project's test signature database as the image's database.
  local context="$CACHE/context/clamav"
  rm -rf "$context" && mkdir -p "$context"
  cp "$REPO"/docker/clamav/* "$REPO/tools/clamav/eicar.ndb" "$context/"
  build "$CLAMAV" "$hash" "$context" "$context/Dockerfile" --build-arg "BASE=$BASE"
}

# The native packages a service's publish output needs from Debian.
native_packages() {
  local app="$1" packages=()
  # Our interop loads libvips.so.42: Debian's libvips42 unless the publish carries its own (NetVips.Native).
  if grep -rlq --include='*.dll' 'libvips' "$app" 2>/dev/null && [[ -z "$(find "$app" -name 'libvips.so*' -print -quit)" ]]; then
    packages+=(libvips42)
  fi
  # The face checks: OpenCvSharp's official Linux runtime links GTK 3; the Haar cascades come from opencv-data.
  if [[ -n "$(find "$app" -name 'libOpenCvSharpExtern.so' -print -quit)" ]]; then packages+=(libgtk-3-0 opencv-data); fi
  echo "${packages[*]}"
}

# The reviewer console's production build (npm ci from its lock file, vite build) into $1, from a copy of its sources
# so the work tree's node_modules/ and dist/ are left alone; the gateway serves it from /app/console/dist.
build_console() {
  local out="$1" work="$CACHE/console" logf="$CACHE/logs/console.log"
  step
  command -v npm >/dev/null 2>&1 || die "npm is missing (Debian's npm did not install)"
  mkdir -p "$work"
  # node_modules/ stays between runs (npm ci replaces it anyway); every other file is the work tree's.
  find "$work" -mindepth 1 -maxdepth 1 -not -name node_modules -exec rm -rf {} +
  tar -C "$REPO/console" -c --exclude=node_modules --exclude=dist --exclude=test-results --exclude=playwright-report --exclude=e2e/.data . \
    | tar -C "$work" -x
  (cd "$work" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund && npx vite build --outDir "$out" --emptyOutDir) \
    >"$logf" 2>&1 || die "the console's build" "$logf"
  [[ -f "$out/index.html" ]] || die "the console's build has no index.html" "$logf"
  done_step "built the reviewer console into the gateway's image"
}

build_services() {
  local dotnet_base="${EXAMREVIEW_DOTNET_BASE:-$BASE}" base_id hash gateway_hash todo=()
  image_hash() { if [[ "$1" == Gateway ]]; then echo "$gateway_hash"; else echo "$hash"; fi; }
  base_id="$(image_id "$dotnet_base")"
  hash="$(inputs_hash "$dotnet_base $base_id ${PUBLISH_FLAGS[*]}" src docker/service Directory.Build.props Directory.Packages.props global.json NuGet.config nuget.config)"
  # The gateway's image also carries the console's build: its sources count too.
  gateway_hash="$(inputs_hash "$hash" console)"
  for s in "${SERVICES[@]}"; do
    if up_to_date "$(service_image "$s")" "$(image_hash "$s")"; then log "cached $(service_image "$s")"; else todo+=("$s"); fi
  done
  ((${#todo[@]})) || return 0
  # Published from a copy of the sources: a RID-specific restore must not rewrite the work tree's obj/
  # folders under a build or test run going on there.
  step
  local src="$CACHE/publish/src"
  mkdir -p "$src"
  # Every source file is replaced (removed files must not linger); bin/ and obj/ stay for incremental builds.
  if [[ -d "$src/src" ]]; then find "$src/src" -type f -not -path '*/bin/*' -not -path '*/obj/*' -delete; fi
  tar -C "$REPO" -c --exclude=bin --exclude=obj src | tar -C "$src" -x
  for f in Directory.Build.props Directory.Packages.props global.json NuGet.config nuget.config; do
    if [[ -f "$REPO/$f" ]]; then cp "$REPO/$f" "$src/$f"; else rm -f "$src/$f"; fi
  done
  done_step "copied the sources to $src"
  for s in "${todo[@]}"; do
    local context="$CACHE/context/$s" logf="$CACHE/logs/publish-$s.log"
    rm -rf "$context" && mkdir -p "$context"
    step
    dotnet publish "$src/$(service_project "$s")" -c Release -r linux-x64 --self-contained "${PUBLISH_FLAGS[@]}" \
      -o "$context/app" -m:1 -nologo -clp:ErrorsOnly -p:DebugType=none >"$logf" 2>&1 || die "dotnet publish $s" "$logf"
    done_step "published $s (self-contained linux-x64, ReadyToRun, $(du -sh "$context/app" | cut -f1))"
    if [[ "$s" == Gateway ]]; then build_console "$context/app/console/dist"; fi
    local native
    native="$(native_packages "$context/app")"
    [[ -z "$native" ]] || log "$s needs Debian packages: $native"
    build "$(service_image "$s")" "$(image_hash "$s")" "$context" "$REPO/docker/service/Dockerfile" \
      --build-arg "BASE=$dotnet_base" --build-arg "SERVICE=$s" --build-arg "NATIVE_PACKAGES=$native"
  done
}

# ---------------------------------------------------------------------------- main

FORCE=0
INFRA_ONLY=0
case "${1:-}" in
  --force) FORCE=1 ;;
  --infra) INFRA_ONLY=1 ;;
  --list) printf '%s\n' "${ALL_IMAGES[@]}"; exit 0 ;;
  --clean)
    DOCKER="$(docker_cli)"
    engine_up || die "no Docker engine answers"
    for i in "${ALL_IMAGES[@]}"; do
      if [[ -n "$(image_id "$i")" ]]; then "$DOCKER" image rm -f "$i" >/dev/null && log "removed $i"; fi
    done
    "$DOCKER" image prune -f >/dev/null
    rm -rf "$CACHE/context" "$CACHE/publish"
    exit 0
    ;;
  "") ;;
  *) echo "usage: $0 [--force|--infra|--clean|--list]" >&2; exit 2 ;;
esac

install_tools
start_engine
build_base
build_server "$POSTGRES" postgres
build_server "$RABBITMQ" rabbitmq
build_s3
build_clamav
if [[ "$INFRA_ONLY" -eq 0 ]]; then build_services; fi
log "images ready ($(since "$START")):"
"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^examreview/' | sort | sed 's/^/  /'
