#!/usr/bin/env bash
# The bed for clusterctl's integration tests: a real dockerd and an htpasswd-protected
# registry on 127.0.0.1, with the stand-in kind/minikube first on PATH (tests/bed/README.md).
#
#   scripts/bed.sh up     install what is missing (root), start dockerd if needed, start the registry
#   scripts/bed.sh env    print `export` lines; eval "$(scripts/bed.sh env)"
#   scripts/bed.sh down   stop what `up` started (by PID), and this checkout's stand-in clusters
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BED="$REPO/.bed"
REGISTRY_DIR="$BED/registry"
REGISTRY_ENV="$BED/registry.env"
PACKAGES=(docker.io docker-registry busybox-static apache2-utils openssl)
BED_LABEL="clusterctl-bed.cluster"
STATE_DIR_LABEL="clusterctl-bed.state-dir"  # when present, names the owning cluster's state dir
NODE_LABEL="clusterctl-bed.node-of"  # a stand-in node container (tests/bed/fakecli/nodes.py)

log() { printf 'bed: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

proc_running() { # pid; a zombie counts as gone
  [[ -d "/proc/$1" ]] && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

pid_alive() { # pid file, expected command name
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(cat "$1")"
  proc_running "$pid" && grep -q "$2" "/proc/$pid/cmdline" 2>/dev/null
}

ensure_packages() {
  local tool missing=""
  for tool in dockerd docker docker-registry htpasswd openssl; do
    command -v "$tool" >/dev/null || missing=1
  done
  [[ -x /usr/bin/busybox ]] || missing=1
  [[ -n "$missing" ]] || return 0
  [[ "$(id -u)" == 0 ]] || die "missing tools; run as root to install: ${PACKAGES[*]}"
  log "installing ${PACKAGES[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null
}

ensure_dockerd() {
  if docker info >/dev/null 2>&1; then
    return
  fi
  [[ "$(id -u)" == 0 ]] || die "the Docker daemon is not running and starting it needs root"
  log "starting dockerd (log: $BED/dockerd.log)"
  setsid dockerd --host unix:///var/run/docker.sock --data-root /var/lib/docker \
    </dev/null >"$BED/dockerd.log" 2>&1 &
  echo $! >"$BED/dockerd.pid"
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && return
    pid_alive "$BED/dockerd.pid" dockerd || die "dockerd exited; see $BED/dockerd.log"
    sleep 0.5
  done
  die "dockerd did not answer within 60s; see $BED/dockerd.log"
}

port_busy() {
  python3 - "$1" <<'EOF'
import socket, sys
with socket.socket() as s:
    s.settimeout(1)
    sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
EOF
}

choose_port() { # a free port: BED_REGISTRY_PORT exactly, else 5555 or the next free one
  if [[ -n "${BED_REGISTRY_PORT:-}" ]]; then
    ! port_busy "$BED_REGISTRY_PORT" || die "127.0.0.1:$BED_REGISTRY_PORT is already in use"
    echo "$BED_REGISTRY_PORT"
    return
  fi
  local port
  for port in $(seq 5555 5599); do
    if ! port_busy "$port"; then
      [[ "$port" == 5555 ]] || log "127.0.0.1:5555 is taken (another checkout's bed?); using $port"
      echo "$port"
      return
    fi
  done
  die "no free port in 5555-5599 for the registry"
}

write_credentials() {
  local password="" port="$1"
  if [[ -f "$REGISTRY_ENV" ]]; then
    password="$(sed -n 's/^BED_REGISTRY_PASSWORD=//p' "$REGISTRY_ENV")"
  fi
  [[ -n "$password" ]] || password="$(openssl rand -hex 16)"
  (umask 077 && cat >"$REGISTRY_ENV" <<EOF
BED_REGISTRY=127.0.0.1:$port
BED_REGISTRY_USER=bed
BED_REGISTRY_PASSWORD=$password
EOF
  )
  chmod 600 "$REGISTRY_ENV"
  (umask 077 && htpasswd -Bbn bed "$password" >"$REGISTRY_DIR/htpasswd")
}

# A second user, for image pull secrets. docker-registry's htpasswd controller checks only the password
# and ignores the access asked for (distribution v2.8.2 registry/auth/htpasswd/access.go Authorized), so
# this user can push too: it is a distinct credential, not a read-only one. The registry re-reads the
# file when its mtime changes (same function), so a running registry takes the user without a restart.
ensure_pull_user() {
  local password
  password="$(sed -n 's/^BED_REGISTRY_PULL_PASSWORD=//p' "$REGISTRY_ENV")"
  if [[ -z "$password" ]]; then
    password="$(openssl rand -hex 16)"
    printf 'BED_REGISTRY_PULL_USER=bed-pull\nBED_REGISTRY_PULL_PASSWORD=%s\n' "$password" >>"$REGISTRY_ENV"
  fi
  if ! grep -q '^bed-pull:' "$REGISTRY_DIR/htpasswd"; then
    (umask 077 && htpasswd -Bbn bed-pull "$password" | sed '/^$/d' >>"$REGISTRY_DIR/htpasswd")
  fi
}

write_registry_config() {
  local port="$1"
  cat >"$REGISTRY_DIR/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: $(openssl rand -hex 16)
auth:
  htpasswd:
    realm: clusterctl-bed
    path: $REGISTRY_DIR/htpasswd
EOF
}

ensure_registry() {
  mkdir -p "$REGISTRY_DIR/data"
  if pid_alive "$BED/registry.pid" docker-registry && [[ -f "$REGISTRY_ENV" ]]; then
    ensure_pull_user
    return
  fi
  local port
  port="$(choose_port)"
  write_credentials "$port"
  ensure_pull_user
  write_registry_config "$port"
  log "starting docker-registry on 127.0.0.1:$port (log: $BED/registry.log)"
  setsid docker-registry serve "$REGISTRY_DIR/config.yml" </dev/null >"$BED/registry.log" 2>&1 &
  echo $! >"$BED/registry.pid"
}

verify_registry() {
  # shellcheck disable=SC1090
  . "$REGISTRY_ENV"
  python3 - "$BED_REGISTRY" "$BED_REGISTRY_USER" "$BED_REGISTRY_PASSWORD" "$BED_REGISTRY_PULL_USER" \
    "$BED_REGISTRY_PULL_PASSWORD" <<'EOF' || die "registry check failed; see $BED/registry.log"
import base64, sys, time, urllib.error, urllib.request
address, user, password, pull_user, pull_password = sys.argv[1:]
url = f"http://{address}/v2/"

def status(auth, user=user, password=password):
    request = urllib.request.Request(url)
    if auth:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code

deadline = time.monotonic() + 20
while True:
    try:
        anonymous, authenticated = status(False), status(True)
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(f"bed: no answer from {url}")
        time.sleep(0.2)
if (anonymous, authenticated) != (401, 200):
    sys.exit(f"bed: {url} answered {anonymous} without auth and {authenticated} with it")
if status(True, pull_user, pull_password) != 200:
    sys.exit(f"bed: {url} refused the pull user {pull_user}")
EOF
  log "registry $BED_REGISTRY ready (401 without auth, 200 with it, for both users)"
}

cmd_up() {
  mkdir -p "$BED"
  ensure_packages
  ensure_dockerd
  ensure_registry
  verify_registry
}

stop_pid() { # pid file, expected command name
  local pid
  if pid_alive "$1" "$2"; then
    pid="$(cat "$1")"
    log "stopping $2 ($pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 40); do
      proc_running "$pid" || break
      sleep 0.25
    done
    if proc_running "$pid"; then
      kill -KILL "$pid"
    fi
  fi
  rm -f "$1"
}

controlplane_pid() { # state dir -> pid of its control plane, if one is running
  local pid=""
  if [[ -f "$1/apiserver.json" ]]; then
    pid="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$1/apiserver.json" 2>/dev/null || true)"
  fi
  [[ -n "$pid" ]] || pid="$(cat "$1/controlplane.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && proc_running "$pid" && grep -q "$1" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

stop_clusters() { # this checkout's stand-in clusters: control planes, then their containers
  local dir pid ids
  for dir in "$BED"/home/kind/* "$BED"/home/minikube/*; do
    [[ -d "$dir" ]] || continue
    if pid="$(controlplane_pid "$dir")"; then
      echo "$pid" >"$BED/controlplane.pid.tmp"
      stop_pid "$BED/controlplane.pid.tmp" tests.bed.controlplane
    fi
    if docker info >/dev/null 2>&1; then
      ids="$(for label in "$BED_LABEL" "$NODE_LABEL"; do
        docker ps -a --filter "label=$label=$(basename "$dir")" --format "{{.ID}} {{.Label \"$STATE_DIR_LABEL\"}}"
      done | awk -v d="$dir" '$2 == "" || $2 == d {print $1}')"
      if [[ -n "$ids" ]]; then
        log "removing containers of $(basename "$dir")"
        # shellcheck disable=SC2086
        docker rm -f -v $ids >/dev/null
      fi
    fi
  done
}

cmd_down() {
  stop_clusters
  stop_pid "$BED/registry.pid" docker-registry
  stop_pid "$BED/dockerd.pid" dockerd
}

cmd_env() {
  local bin="$REPO/tests/bed/bin" path
  path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$bin" | paste -sd: -)"
  printf 'export PATH=%q\n' "$bin${path:+:$path}"
  printf 'export CLUSTERCTL_BED_HOME=%q\n' "$BED/home"
  if [[ -f "$REGISTRY_ENV" ]]; then
    # shellcheck disable=SC1090
    . "$REGISTRY_ENV"
    printf 'export BED_REGISTRY=%q\n' "$BED_REGISTRY"
    printf 'export BED_REGISTRY_USER=%q\n' "$BED_REGISTRY_USER"
    printf 'export BED_REGISTRY_PASSWORD=%q\n' "$BED_REGISTRY_PASSWORD"
    if [[ -n "${BED_REGISTRY_PULL_USER:-}" ]]; then
      printf 'export BED_REGISTRY_PULL_USER=%q\n' "$BED_REGISTRY_PULL_USER"
      printf 'export BED_REGISTRY_PULL_PASSWORD=%q\n' "$BED_REGISTRY_PULL_PASSWORD"
    fi
  else
    log "no registry credentials yet: run 'scripts/bed.sh up' first"
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  env) cmd_env ;;
  *) die "usage: scripts/bed.sh up|down|env" ;;
esac
