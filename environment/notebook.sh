#!/usr/bin/env bash
# make notebook: the classic Jupyter Notebook server (Debian's jupyter-notebook) on 127.0.0.1 only, serving notebooks/,
# with the "excon" kernel that setup.sh installed. Prints the URL with a fresh random token once the server answers.
# Ctrl-C (or SIGTERM) stops the server and its kernels.
#
# Settings (environment, or make variables): PORT (8888; a port already in use is refused, never replaced by another),
# NOTEBOOK_DIR (notebooks/ of this checkout).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
log() { printf 'notebook: %s\n' "$*" >&2; }

port="${PORT:-8888}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
  log "PORT must be a number from 1 to 65535, not '$port'"
  exit 2
fi
dir="${NOTEBOOK_DIR:-$root/notebooks}"
# Debian's Jupyter, under Debian's python3 (another python3 may come first on PATH).
jupyter=/usr/bin/jupyter
if [[ ! -x "$jupyter" || ! -x /usr/bin/jupyter-notebook ]]; then
  log "the Jupyter Notebook server is not installed (Debian package jupyter-notebook): run make setup"
  exit 1
fi

# Refuse a port that is taken (on 127.0.0.1 or on every interface) with a clear message; --port-retries=0 below makes
# Jupyter refuse too, should another program take it in between.
if ! /usr/bin/python3 - "$port" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Jupyter's own bind: a closing connection is no owner
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
then
  log "port $port is already in use; choose another: make notebook PORT=8890"
  exit 1
fi

mkdir -p "$dir"
token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
root_flag=()
[[ "$(id -u)" -eq 0 ]] && root_flag=(--allow-root)   # Jupyter refuses root without it (CI machines run as root)

# The token goes through the environment, not the command line, so other users cannot read it from the process list.
# Started in the background (no terminal on its stdin, so Ctrl-C reaches this script, which stops the server with
# SIGTERM: Jupyter then shuts its kernels down before it exits).
JUPYTER_TOKEN="$token" "$jupyter" notebook --no-browser --ip=127.0.0.1 --port="$port" --port-retries=0 \
  --notebook-dir="$dir" "${root_flag[@]}" &
server=$!
stop() {
  trap - INT TERM
  if kill -0 "$server" 2>/dev/null; then
    log "stopping the server and its kernels"
    kill -TERM "$server" 2>/dev/null || true
  fi
  wait "$server" 2>/dev/null || true
  exit 0
}
trap stop INT TERM

# Wait until it answers (the status API needs the token), then show the URL.
url="http://127.0.0.1:$port/"
ready=""
for _ in $(seq 1 600); do
  if ! kill -0 "$server" 2>/dev/null; then
    wait "$server" && status=0 || status=$?
    log "the server stopped before it answered (exit status $status; its log is above)"
    exit 1
  fi
  if /usr/bin/python3 - "${url}api/status" "$token" <<'PY' 2>/dev/null
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Authorization": "token " + sys.argv[2]})
urllib.request.urlopen(req, timeout=2).read()
PY
  then
    printf '\n    ExCon notebooks (%s), kernel "Java (ExCon)". Open in a browser on this machine:\n\n' "$dir"
    printf '        %s?token=%s\n\n' "$url" "$token"
    printf '    Listening on 127.0.0.1:%s only. Ctrl-C stops the server and its kernels.\n\n' "$port"
    ready=1
    break
  fi
  sleep 0.2
done
[[ -n "$ready" ]] || log "the server has not answered on $url yet; once it does: $url?token=$token"
wait "$server" || true
