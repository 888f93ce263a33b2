#!/usr/bin/env bash
# Open MPI for data-parallel training (docs/distributed.md).
#   scripts/mpi.sh ensure              install openmpi-bin when mpirun is missing and we run as root; otherwise say how
#   scripts/mpi.sh train --ranks N …   run `functional train --distributed …` as N ranks on this machine
set -euo pipefail
cd "$(dirname "$0")/.."

ensure() {
  command -v mpirun >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing openmpi-bin with apt-get (distributed training and its tests)" >&2
    apt-get install -y -q openmpi-bin >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q openmpi-bin >/dev/null; } ||
      { echo "error: apt-get could not install openmpi-bin." >&2; return 1; }
    return 0
  fi
  echo "error: mpirun was not found; install Open MPI with 'sudo apt-get install openmpi-bin'." >&2
  return 1
}

train() {
  local ranks="" args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --ranks) [ $# -ge 2 ] || { echo "error: --ranks needs a number of ranks." >&2; exit 2; }; ranks=$2; shift 2 ;;
      --ranks=*) ranks=${1#--ranks=}; shift ;;
      --distributed) shift ;;   # added below in any case
      *) args+=("$1"); shift ;;
    esac
  done
  [[ "$ranks" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "error: --ranks $ranks: give a whole number of ranks from 1 to 9999." >&2; exit 2; }
  ensure || exit 2
  local launch=(mpirun --oversubscribe --bind-to none -np "$ranks")
  # Open MPI refuses root unless told; each rank divides the cores itself (--bind-to none keeps them all visible).
  [ "$(id -u)" -ne 0 ] || launch+=(--allow-run-as-root)
  # TERM=dumb: the ranks write to mpirun's pipes, and .NET would otherwise start stdout with terminal escape codes.
  TERM=dumb exec "${launch[@]}" dotnet Examples/Cli/bin/Release/net10.0/functional.dll train --distributed "${args[@]}"
}

case "${1:-}" in
  ensure) ensure ;;
  train) shift; train "$@" ;;
  *) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
