#!/usr/bin/env bash
# Runs every test project (already built in Release by build.sh) and closes with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d)
status=0
for project in Tests/Functional.Tests.csproj Properties/Functional.Properties.csproj FSharp.Tests/Functional.FSharp.Tests.fsproj \
    Examples/FSharpLaws/Functional.Examples.FSharpLaws.fsproj; do
  name=$(basename "$project"); name=${name%.*}
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo -v:q \
    --logger "trx;LogFileName=$results/$name.trx" "$@" || status=1
done

echo "== F# example"
dotnet Examples/FSharp/bin/Release/net10.0/functional-fsharp.dll || status=1
echo "== F# sweep"
dotnet Examples/FSharpVariants/bin/Release/net10.0/functional-fsharp-variants.dll --data Tests/Fixtures/fashion-mnist-small --limit 256 --test-limit 100 --epochs 1 || status=1

# Sum the counters of every TRX file, so the run ends on one line that any reader can parse.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  # The fuzz tests report their case count, seed and time through the test output, which the TRX keeps.
  grep -o 'fuzz [a-zA-Z ]*: [0-9]* cases, seed [^<]*' "$trx" | sed 's/^/  /'
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
rm -rf "$results"

if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; status=1; fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
