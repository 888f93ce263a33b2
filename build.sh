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
    # The distributed tests run two-rank mpirun jobs; without Open MPI they fail saying so.
    scripts/mpi.sh ensure || true
    exec scripts/test.sh "$@"
    ;;
  mutants)
    shift
    if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
      sed -n '2,7p' scripts/mutants.sh | sed 's/^# \{0,1\}//'
      exit 0
    fi
    # The mutants build in a scratch copy of their own, so this tree's build (and its stamp) is left as it is.
    nuget_source
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
    # Functional's Cpu backend against PyTorch (and ONNX Runtime for inference) on the same shapes and threads,
    # interleaved in one run; --inference runs the inference rows alone.
    shift
    build >/dev/null
    dotnet build Benchmarks/Functional.Benchmarks.csproj -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null || die "the benchmark build failed."
    exec /usr/bin/python3 scripts/bench_torch.py --ours "dotnet Benchmarks/bin/Release/net10.0/Functional.Benchmarks.dll" "$@"
    ;;
  gpu-bundle)
    # The GPU check as one folder for a machine without .NET: docs/gpu.md, "The GPU check bundle".
    shift
    if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
      echo "usage: ./build.sh gpu-bundle [DIR]   (default DIR: artifacts/gpu-bundle)"
      echo "  publishes gpu-check self-contained for linux-x64 (one compressed file, untrimmed) with run.sh and the"
      echo "  PyTorch script into DIR; skipped when DIR already holds the bundle of this build. Run DIR/run.sh --help."
      exit 0
    fi
    if [ $# -gt 1 ]; then echo "build.sh: gpu-bundle takes at most one folder, not: $*" >&2; exit 2; fi
    dir=${1:-artifacts/gpu-bundle}
    build >/dev/null
    if [ -f "$dir/build.stamp" ] && cmp -s "$dir/build.stamp" "$stamp_file" && [ -x "$dir/gpu-check" ]; then
      :
    else
      # Never empty a folder that is not a bundle: DIR may be a user's own.
      if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/gpu-check" ]; then
        echo "build.sh: $dir exists and does not hold a GPU bundle; give a new or empty folder." >&2; exit 2
      fi
      rm -rf "$dir" && mkdir -p "$dir"
      nuget_source   # the publish restores the linux-x64 runtime pack from the configured feed
      dotnet publish Examples/GpuCheck/Functional.GpuCheck.csproj -c Release --self-contained -o "$dir" -nologo -v:q \
        -clp:ErrorsOnly >/dev/null || die "the gpu-check publish failed."
      cp "$stamp_file" "$dir/build.stamp"
    fi
    echo "$dir: $(du -sb "$dir" | awk '{printf "%.1f", $1 / 1048576}') MiB ($(cd "$dir" && ls | tr '\n' ' ')); run $dir/run.sh --help"
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
  onnx)
    # `onnx verify-zoo` checks AlexNet and the VGGs in ONNX Runtime (docs/onnx.md); the runtime is not a dependency
    # of the functional program, so the check is a program of its own, built on demand and never in CI.
    if [ "${2:-}" = verify-zoo ]; then
      build >/dev/null
      dotnet build tools/OnnxVerifyZoo/OnnxVerifyZoo.csproj -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null || die "the verify-zoo build failed."
      exec dotnet tools/OnnxVerifyZoo/bin/Release/net10.0/onnx-verify-zoo.dll "${@:3}"
    fi
    build >/dev/null
    cli "$@"
    ;;
  ""|-h|--help)
    cat <<'USAGE'
usage: ./build.sh test                 build in Release and run every test project
       ./build.sh bench [--quick] [--threads N] [--inference]  time the Cpu backend beside PyTorch and ONNX Runtime (docs/cpu.md)
       ./build.sh gpu-bundle [DIR]     the GPU check as one folder for a machine without .NET (docs/gpu.md)
       ./build.sh variants --fsharp [--data DIR --limit N --epochs N]  run the F# research sweep
       ./build.sh mutants [PATCH...]   apply each mutant in mutants/ to a scratch copy and report which tests catch it
       ./build.sh pack                 the packages Functional.Core, .Dsl, .FSharp, .Laws and the functional tool, into artifacts/packages
       ./build.sh onnx verify-zoo      export AlexNet and the VGGs and check them in ONNX Runtime (docs/onnx.md)
       ./build.sh install              install the functional program as a global dotnet tool from the local package
       ./build.sh train --ranks N [args...]  train as N data-parallel ranks under mpirun (docs/distributed.md)
       ./build.sh <command> [args...]  run the functional command-line program (./build.sh --help for its commands)
USAGE
    build >/dev/null
    cli --help
    ;;
  *)
    build >/dev/null
    # `train --ranks N`: N data-parallel ranks of the same command under mpirun (docs/distributed.md).
    if [ "$1" = train ] && [[ " $* " =~ \ --ranks(=|\ ) ]]; then exec scripts/mpi.sh "$@"; fi
    cli "$@"
    ;;
esac
