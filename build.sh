#!/usr/bin/env bash
# The one entry point: `./build.sh test` builds and runs every test; `./build.sh <command> [args]` runs the CLI.
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "build.sh: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "dotnet was not found on PATH. Install the .NET 10 SDK first."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Paket reads its feed from %NUGET_SRC% (paket.dependencies names no registry): take the machine's first
# enabled NuGet source. Asked only when a restore runs, since asking costs half a second.
nuget_source() {
  if [ -z "${NUGET_SRC:-}" ]; then
    NUGET_SRC=$(dotnet nuget list source --format short 2>/dev/null | awk '$1 ~ /^E/ {print $2; exit}')
  fi
  [ -n "${NUGET_SRC:-}" ] || die "no enabled NuGet source is configured (dotnet nuget list source shows none). Add one with 'dotnet nuget add source'."
  export NUGET_SRC
}

restore() {
  nuget_source
  dotnet tool restore >/dev/null || die "dotnet tool restore failed (Paket is a local tool in .config/dotnet-tools.json)."
  dotnet paket restore >/dev/null || die "paket restore failed; run 'dotnet paket restore' to see why."
}

# The build is skipped when nothing it reads has changed since the last successful one: the stamp hashes the
# list of tracked and untracked-not-ignored files with each one's size and modification time (paket.lock and the
# project files included), so an edit, a new file, a deletion or a checkout all trigger a build. Markdown and
# pictures are left out (nothing compiles them; the snippet tests read the pages when they run), except
# docs/use.md, which every package carries as its readme.
stamp_file=artifacts/build.stamp
stamp() {
  git rev-parse --git-dir >/dev/null 2>&1 || { date +%s%N; return; }   # not a clone: always build
  # The installed SDKs stand for the toolchain (listing them is cheaper than starting `dotnet --version`).
  { ls "$(dirname "$(readlink -f "$(command -v dotnet)")")/sdk" 2>/dev/null; { git ls-files -z -co --exclude-standard -- ':!:*.md' ':!:*.png'; git ls-files -z -co --exclude-standard -- docs/use.md; } |
      xargs -0 stat -c '%n %s %Y' 2>/dev/null; } | sha1sum | cut -d' ' -f1
}

build() {
  local now
  now=$(stamp)
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$now" ] && [ -f Examples/Cli/bin/Release/net10.0/functional.dll ]; then
    return 0
  fi
  rm -f "$stamp_file"
  restore
  dotnet build Functional.sln -c Release -nologo -clp:ErrorsOnly -v:q "$@" || die "the build failed."
  mkdir -p artifacts && echo "$now" >"$stamp_file"
}

# The library packages (Functional.Core, .Dsl, .FSharp, .Laws) and the `functional` tool, into artifacts/packages.
# Skipped, like the build, when the packages were made from the build the stamp describes.
pack() {
  build >/dev/null
  if [ -f artifacts/packages/build.stamp ] && cmp -s artifacts/packages/build.stamp "$stamp_file"; then return 0; fi
  rm -f artifacts/packages/*.nupkg artifacts/packages/build.stamp
  dotnet pack Functional.sln -c Release --no-build --no-restore -nologo -v:q -clp:ErrorsOnly >/dev/null || die "dotnet pack failed."
  cp "$stamp_file" artifacts/packages/build.stamp
}

cli() { dotnet Examples/Cli/bin/Release/net10.0/functional.dll "$@"; }

case "${1:-}" in
  test)
    shift
    if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
      echo "usage: ./build.sh test [dotnet test options, e.g. --filter NAME]"
      echo "  builds in Release (skipped when nothing changed), packs, and runs every test project, the F# examples"
      echo "  and the package checks; ends with one 'N passed, N failed, N skipped' line, non-zero exit on failure."
      exit 0
    fi
    build
    pack
    exec scripts/test.sh "$@"
    ;;
  mutants)
    shift
    if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
      sed -n '2,6p' scripts/mutants.sh | sed 's/^# \{0,1\}//'
      exit 0
    fi
    build
    exec scripts/mutants.sh "$@"
    ;;
  pack)
    pack
    ls artifacts/packages/*.nupkg
    ;;
  install)
    # The `functional` program as a global dotnet tool, from the package just packed.
    pack
    if dotnet tool list -g | grep -q '^functional\.cli '; then dotnet tool uninstall -g Functional.Cli >/dev/null; fi
    # A packages folder of its own, emptied of the tool first: every pack is version 0.1.0, and the user's global
    # cache would hand back the first one ever installed.
    rm -rf artifacts/tool-packages/functional.cli
    NUGET_PACKAGES="$PWD/artifacts/tool-packages" dotnet tool install -g Functional.Cli --add-source artifacts/packages \
      --version "$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)" || die "dotnet tool install failed."
    case ":$PATH:" in *":$HOME/.dotnet/tools:"*) ;; *) echo "add \$HOME/.dotnet/tools to PATH to run 'functional'." >&2 ;; esac
    ;;
  bench)
    # Functional's Cpu backend against PyTorch on the same shapes and threads, interleaved in one run.
    shift
    build >/dev/null
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
       ./build.sh pack                 the packages Functional.Core, .Dsl, .FSharp, .Laws and the functional tool, into artifacts/packages
       ./build.sh install              install the functional program as a global dotnet tool from the local package
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
