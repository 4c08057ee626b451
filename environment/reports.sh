#!/usr/bin/env bash
# make reports: every notebook that can run on this machine, executed headless into reports/*.html. The GPU
# reproduction notebooks run with their smoke setting, and only when their data set is present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${EXCON_DATA:-$root/data}"
smoke=(epochs=1 backbone=small batchSize=64 trainLimit=2000 testLimit=1000 evalImages=200 pgdImages=100
       corruptionImages=100 "runs=$root/runs/smoke")
written=() skipped=()
for nb in notebooks/0*.ipynb; do
  bin/run-notebook "$nb"
  written+=("reports/$(basename "$nb" .ipynb).html")
done
run_repro() { # notebook, data directory name, download name
  if [[ -d "$data/$2" ]]; then
    bin/run-notebook "notebooks/$1.ipynb" "${smoke[@]}" "data=$data"
    written+=("reports/$1.html")
  else
    skipped+=("$1 (no $data/$2: make download DATASET=$3)")
  fi
}
run_repro 10-cifar100-reproduction cifar-100-binary cifar100
run_repro 11-tiny-imagenet-reproduction tiny-imagenet-200 tiny-imagenet
echo
echo "reports written:"
printf '  %s\n' "${written[@]}"
if [[ ${#skipped[@]} -gt 0 ]]; then
  echo "skipped (their data set is not here):"
  printf '  %s\n' "${skipped[@]}"
fi
