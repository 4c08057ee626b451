#!/usr/bin/env bash
# Idempotent machine set-up for ExCon: Debian packages, the Maven build, the Jupyter kernelspec, the browser test's
# driver (playwright-core from the npm registry).
# Run as root it installs what is missing; as another user it prints the one sudo command to run.
# A second run changes nothing and takes a few seconds.
#   --no-kernel   leave the user's Jupyter kernelspec alone (make test: the suite installs its own kernel into a
#                 temporary Jupyter data directory, so testing one checkout never re-points another's "excon")
set -euo pipefail

install_kernel=1
for arg in "$@"; do
  case "$arg" in
    --no-kernel) install_kernel=0 ;;
    *) printf 'setup: unknown option %s (the only one is --no-kernel)\n' "$arg" >&2; exit 2 ;;
  esac
done

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
# Node.js and npm (step 4) are not in the list: a machine may have them from elsewhere (Debian's npm would then
# clash), so Debian's are added only when the commands are missing.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
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
if [[ ! -f "$stamp" ]] || [[ -n "$(find pom.xml src magics environment -path environment/browser/node_modules -prune \
      -o -newer "$stamp" -type f -print -quit 2>/dev/null)" ]]; then
  log "building with Maven (dependencies from Maven Central on first run)"
  rm -rf target/.setup-stamp target/.setup-stamp-gpu target/lib
  # copyPom: each jar's POM beside it, so %maven can tell the kernel's artifacts by groupId:artifactId.
  mvn -B -q -ntp -Dstyle.color=never "${gpu_flag[@]}" -DskipTests package dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/lib -Dmdep.copyPom=true
  touch "$stamp"
else
  log "Maven build: up to date"
fi

# 3. Jupyter kernelspec (once the kernel exists) ----------------------------------------------------
if [[ $install_kernel == 0 ]]; then
  log "Jupyter kernel: yours is left alone (the tests install their own into a temporary directory)"
elif [[ -x "$here/install-kernel.sh" ]]; then
  "$here/install-kernel.sh"
else
  log "Jupyter kernel: not part of this build yet"
fi

# 4. Browser test driver: playwright-core at the version package-lock.json pins, into environment/browser/node_modules
# (git-ignored). It drives Debian's /usr/bin/chromium; no browser is ever downloaded. Redone only when the manifest,
# the lock file or Node.js changed (the stamp lives inside node_modules, so deleting that directory redoes it).
browser="$here/browser"
browser_stamp="$browser/node_modules/.excon-setup-stamp"
browser_want="$(cat "$browser/package.json" "$browser/package-lock.json" <(node --version) | sha256sum | cut -d' ' -f1)"
if [[ -f "$browser_stamp" && "$(cat "$browser_stamp")" == "$browser_want" ]]; then
  log "browser test driver (playwright-core): up to date"
else
  log "installing playwright-core for the browser test (npm ci in environment/browser)"
  # A failure here stops nothing else (make notebook does not need it); make test then fails on the browser test.
  if (cd "$browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund \
      --loglevel=error >/dev/null); then
    printf '%s\n' "$browser_want" >"$browser_stamp"
  else
    log "npm ci failed: no playwright-core, so the browser test cannot run (the output above says why)"
  fi
fi
log "done"
