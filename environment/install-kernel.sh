#!/usr/bin/env bash
# Installs or refreshes the Jupyter kernelspec "excon" ("Java (ExCon)") for this checkout. Idempotent: when the jars
# and settings have not changed since the last run it does nothing. Called by environment/setup.sh after the build.
#
# The kernel runs from this checkout's target/excon-*.jar and target/lib/* (what setup.sh builds), so rebuilding with
# setup.sh is all it takes for notebooks to see new library code. A class-data-sharing archive of the kernel's start-up
# classes lives in the kernelspec directory; it is recorded again whenever a jar changes.
#
# Settings (environment): EXCON_KERNEL_NAME (excon), EXCON_KERNEL_DISPLAY_NAME ("Java (ExCon)"),
# EXCON_KERNEL_CLASSPATH (instead of the built jars), EXCON_KERNEL_CDS=0 (no archive), EXCON_KERNEL_JAVA_OPTS (added
# JVM options), JUPYTER_DATA_DIR (where "--user" kernelspecs go), JAVA_HOME.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
log() { printf 'setup: %s\n' "$*"; }

name="${EXCON_KERNEL_NAME:-excon}"
display="${EXCON_KERNEL_DISPLAY_NAME:-Java (ExCon)}"
if [[ ! "$name" =~ ^[a-z0-9._-]+$ ]]; then
  log "EXCON_KERNEL_NAME='$name' is not a kernel name Jupyter accepts: use lower-case letters, digits, '.', '_', '-'"
  exit 2
fi
jupyter="/usr/bin/jupyter"
[[ -x "$jupyter" ]] || jupyter="$(command -v jupyter || true)"
if [[ -z "$jupyter" ]]; then
  log "Jupyter kernel: jupyter not found (install jupyter-core and jupyter-client); skipping"
  exit 0
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
[[ -n "$java" && -x "$java" ]] || java="$(readlink -f "$(command -v java)")"

# The class path: the project jar and its runtime dependencies, or what the caller says.
if [[ -n "${EXCON_KERNEL_CLASSPATH:-}" ]]; then
  classpath="$EXCON_KERNEL_CLASSPATH"
else
  # A glob, not ls | grep | head: under pipefail a consumer that stops early can fail the whole line at random.
  jar=""
  for f in "$root"/target/excon-*.jar; do
    if [[ -f "$f" && "$f" != *-sources.jar && "$f" != *-javadoc.jar ]]; then jar="$f"; break; fi
  done
  if [[ -z "$jar" || ! -d "$root/target/lib" ]]; then
    log "Jupyter kernel: $root/target has no jar or lib/ yet; run environment/setup.sh (it builds them)"
    exit 1
  fi
  classpath="$jar:$root/target/lib/*"
fi

preload=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[[ -f "$preload" ]] || preload=""

# JVM options: fast start (class-data sharing, C1 only, serial GC), headless AWT, DJL offline, one inter-op thread
# (intra-op threads follow the cores, or EXCON_THREADS, at run time), logs to the kernel's own stderr.
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m -Djava.awt.headless=true -Dai.djl.offline=true
      -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.cacheOutputStream=true
      "-Dexcon.home=$root")
if [[ -n "${EXCON_KERNEL_JAVA_OPTS:-}" ]]; then
  read -r -a extra <<<"$EXCON_KERNEL_JAVA_OPTS"
  opts+=("${extra[@]}")
fi
main=dev.excon.notebook.kernel.KernelMain

# Fingerprint: settings plus every class-path file's size and time. Same fingerprint, nothing to do.
fingerprint() {
  {
    printf '%s\n' "$name" "$display" "$java" "$classpath" "$preload" "${EXCON_KERNEL_CDS:-1}" "${opts[@]}"
    IFS=: read -r -a entries <<<"$classpath"
    # Unquoted so that "lib/*" expands; with IFS empty a path with spaces still stays one word.
    local IFS=
    for e in "${entries[@]}"; do
      # shellcheck disable=SC2086
      for f in $e; do [[ -e "$f" ]] && find "$f" -maxdepth 0 -printf '%p %s %T@\n'; done
    done
    sha256sum "$here/install-kernel.sh"
  } | sha256sum | cut -d' ' -f1
}
data_dir="$("$jupyter" --data-dir)"
dest="$data_dir/kernels/$name"
want="$(fingerprint)"
up_to_date() {
  [[ -f "$dest/kernel.json" && -f "$dest/.fingerprint" && "$(cat "$dest/.fingerprint")" == "$want" ]]
}
if up_to_date; then
  log "Jupyter kernel '$name': up to date ($dest)"
  exit 0
fi

# One install at a time per data directory: two checkouts may run their set-up at once. The spec is built beside
# its destination (same file system) and renamed into place, so nobody ever sees half a kernelspec.
mkdir -p "$data_dir/kernels"
exec {lock}>"$data_dir/.$name-kernelspec.lock"
flock "$lock"
if up_to_date; then
  log "Jupyter kernel '$name': up to date ($dest, installed meanwhile by another set-up)"
  exit 0
fi
stage="$(mktemp -d "$data_dir/.$name-kernelspec.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

# Class-data sharing: run the kernel's start-up once and archive the classes it loaded. Needs jars only (a class
# directory on the class path cannot be archived).
has_directory() {
  local e
  IFS=: read -r -a entries <<<"$classpath"
  for e in "${entries[@]}"; do [[ -d "$e" ]] && return 0; done
  return 1
}
cds=()
if [[ "${EXCON_KERNEL_CDS:-1}" != 0 ]] && ! has_directory; then
  if env DJL_OFFLINE=true OPT_OUT_TRACKING=true ${preload:+LD_PRELOAD=$preload} \
      "$java" -XX:ArchiveClassesAtExit="$stage/excon.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off "${opts[@]}" \
      -cp "$classpath" "$main" --warm-up >"$stage/warm-up.log" 2>&1 && [[ -s "$stage/excon.jsa" ]]; then
    cds=("-XX:SharedArchiveFile={resource_dir}/excon.jsa" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  else
    log "Jupyter kernel: no class-data-sharing archive (start-up will be slower): $(tail -n 3 "$stage/warm-up.log")"
    rm -f "$stage/excon.jsa"
  fi
fi
rm -f "$stage/warm-up.log"

argv=("$java" "${cds[@]}" "${opts[@]}" -cp "$classpath" "$main" "{connection_file}")
/usr/bin/python3 - "$stage/kernel.json" "$display" "$preload" "${argv[@]}" <<'PY'
import json, sys
out, display, preload, *argv = sys.argv[1:]
env = {"DJL_OFFLINE": "true", "OPT_OUT_TRACKING": "true"}
if preload:
    env["LD_PRELOAD"] = preload
spec = {"argv": argv, "display_name": display, "language": "java", "interrupt_mode": "message", "env": env,
        "metadata": {"debugger": False}}
with open(out, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY
printf '%s\n' "$want" >"$stage/.fingerprint"
if [[ -e "$dest" ]]; then
  old="$stage.old"
  mv "$dest" "$old"
  mv "$stage" "$dest"
  rm -rf "$old"
else
  mv "$stage" "$dest"
fi
log "Jupyter kernel '$name' ($display) installed in $dest${cds:+ with a class-data-sharing archive}"
