#!/usr/bin/env bash
# The one entry point: `./build.sh test` builds and runs every test; `./build.sh <command> [args]` runs the CLI.
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "build.sh: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "dotnet was not found on PATH. Install the .NET 10 SDK first."

# Paket reads its feed from %NUGET_SRC% (paket.dependencies names no registry): take the machine's first
# enabled NuGet source.
if [ -z "${NUGET_SRC:-}" ]; then
  NUGET_SRC=$(dotnet nuget list source --format short 2>/dev/null | awk '$1 ~ /^E/ {print $2; exit}')
fi
[ -n "${NUGET_SRC:-}" ] || die "no enabled NuGet source is configured (dotnet nuget list source shows none). Add one with 'dotnet nuget add source'."
export NUGET_SRC
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

restore() {
  dotnet tool restore >/dev/null || die "dotnet tool restore failed (Paket is a local tool in .config/dotnet-tools.json)."
  dotnet paket restore >/dev/null || die "paket restore failed; run 'dotnet paket restore' to see why."
}

build() {
  restore
  dotnet build Functional.sln -c Release -nologo -clp:ErrorsOnly -v:q "$@" || die "the build failed."
}

cli() { dotnet Examples/Cli/bin/Release/net10.0/functional.dll "$@"; }

case "${1:-}" in
  test)
    shift
    build
    exec scripts/test.sh "$@"
    ;;
  mutants)
    shift
    build
    exec scripts/mutants.sh "$@"
    ;;
  bench)
    # Functional's Cpu backend against PyTorch on the same shapes and threads, interleaved in one run.
    shift
    restore
    dotnet build Benchmarks/Functional.Benchmarks.csproj -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null || die "the benchmark build failed."
    exec /usr/bin/python3 scripts/bench_torch.py --ours "dotnet Benchmarks/bin/Release/net10.0/Functional.Benchmarks.dll" "$@"
    ;;
  variants)
    # `variants --fsharp [--data DIR --limit N …]` runs the F# sweep (Examples/FSharpVariants) instead of a study.
    if [[ " $* " == *" --fsharp "* ]]; then
      args=(); for a in "${@:2}"; do [ "$a" = --fsharp ] || args+=("$a"); done
      build >/dev/null
      exec dotnet Examples/FSharpVariants/bin/Release/net10.0/functional-fsharp-variants.dll "${args[@]}"
    fi
    build >/dev/null
    cli "$@"
    ;;
  ""|-h|--help)
    cat <<'USAGE'
usage: ./build.sh test                 build in Release and run every test project
       ./build.sh bench [--quick] [--threads N]  time the Cpu backend and PyTorch side by side (docs/cpu.md)
       ./build.sh variants --fsharp [--data DIR --limit N --epochs N]  run the F# research sweep
       ./build.sh mutants              apply each mutant in mutants/ to a scratch copy and report which laws catch it
       ./build.sh <command> [args...]  run the functional command-line program (./build.sh --help for its commands)
USAGE
    build >/dev/null
    cli --help
    ;;
  *)
    build >/dev/null
    cli "$@"
    ;;
esac
