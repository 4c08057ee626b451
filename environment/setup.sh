#!/usr/bin/env bash
# Idempotent machine set-up for ExCon: Debian packages, the Maven build, the Jupyter kernelspec.
# Run as root it installs what is missing; as another user it prints the one sudo command to run.
# A second run changes nothing and takes a few seconds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

log() { printf 'setup: %s\n' "$*"; }

# 1. Debian packages -------------------------------------------------------------------------------
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/apt-packages.txt")
missing=()
for pkg in "${wanted[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  if [[ "$(id -u)" -eq 0 ]]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing Debian packages: ${missing[*]}"
    log "install them with:"
    printf '\n    sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n\n' "${missing[*]}"
    log "then run this script again"
    exit 1
  fi
else
  log "Debian packages: all ${#wanted[@]} present"
fi

# 2. Maven build (only when sources or the POM changed since the last successful build) -------------
gpu_flag=()
[[ -n "${GPU:-}" ]] && gpu_flag=(-Dgpu)   # GPU=1: no CPU libtorch on the classpath (README, "GPU")
stamp="target/.setup-stamp${GPU:+-gpu}"
if [[ ! -f "$stamp" ]] || [[ -n "$(find pom.xml src magics environment -newer "$stamp" -type f -print -quit 2>/dev/null)" ]]; then
  log "building with Maven (dependencies from Maven Central on first run)"
  rm -rf target/.setup-stamp target/.setup-stamp-gpu target/lib
  mvn -B -q -ntp -Dstyle.color=never "${gpu_flag[@]}" -DskipTests package dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/lib
  touch "$stamp"
else
  log "Maven build: up to date"
fi

# 3. Jupyter kernelspec (once the kernel exists) ----------------------------------------------------
if [[ -x "$here/install-kernel.sh" ]]; then
  "$here/install-kernel.sh"
else
  log "Jupyter kernel: not part of this build yet"
fi
log "done"
