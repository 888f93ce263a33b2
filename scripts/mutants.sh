#!/usr/bin/env bash
# Mutation check: applies each patch in mutants/ to a scratch copy of the repository, builds there only the test
# projects its "Tests:" header names, runs only the tests it selects, and reports which laws and tests caught it.
# The working tree is never written (only artifacts/, which git ignores). Writes artifacts/mutants-report.md; the
# committed mutants/last-report.md is a reviewed copy of it, refreshed by hand. Exits non-zero if a selected test
# fails unmutated or any mutant survives. Slow (one incremental build per mutant), so not part of CI.
# usage: ./build.sh mutants [mutants/NAME.patch ...]   (default: every mutants/*.patch)
set -uo pipefail

# The body is one function, read whole before it runs: editing this file during a run cannot change the run.
main() {
  cd "$(dirname "$0")/.."
  root=$(pwd)
  started=$(date +%s)

  log() { echo "[mutants $(date -u +%H:%M:%S)] $*" >&2; }
  die() { echo "mutants.sh: $*" >&2; exit 1; }

  patches=("$@")
  [ ${#patches[@]} -gt 0 ] || patches=(mutants/*.patch)
  [ -f "${patches[0]}" ] || die "no mutants found (expected mutants/*.patch)."

  # Every mutant is applied in a scratch copy, so an interrupted run cannot leave a mutated source behind; the traps
  # turn a signal into an exit so that the EXIT trap removes the copy. The tree's own state is checked at the end.
  tree_before=$(git status --porcelain=v1 --untracked-files=all -- . ':!artifacts' | sha1sum)
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/functional-mutants.XXXXXX")
  target="$root/artifacts/mutants-report.md"
  report="$target.tmp"
  trap 'rm -rf "$scratch" "$report"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  mkdir -p "$root/artifacts"

  # A patch's header (before its diff) is its one-line description, then "Tests:" lines of PROJECT:SELECTOR words:
  # PROJECT is a folder holding one test project (Properties, Tests), SELECTOR a class or Class.Method name.
  describe() { head -n 1 "$1"; }
  selectors() { sed -n '/^diff --git/q; s/^Tests: *//p' "$1" | tr ' ' '\n' | grep -v '^$'; }
  project_file() { local f; f=$(ls "$scratch/$1"/*.*proj 2>/dev/null | head -n 1); [ -n "$f" ] && echo "${f#"$scratch"/}"; }
  # A bare class name gets a trailing dot, so that BackendAgreementConv does not also select BackendAgreementConvX.
  filter_of() { local s; for s in "$@"; do [[ $s == *.* ]] && printf 'FullyQualifiedName~.%s|' "$s" || printf 'FullyQualifiedName~.%s.|' "$s"; done | sed 's/|$//'; }

  for patch in "${patches[@]}"; do
    [ -f "$patch" ] || die "$patch: no such mutant."
    [ -n "$(selectors "$patch")" ] || die "$patch names no tests: add a 'Tests: PROJECT:SELECTOR ...' line after its description."
  done

  log "copying the working tree to $scratch"
  git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$scratch"
  (cd "$scratch" && dotnet tool restore >/dev/null && dotnet paket restore >/dev/null) || die "restore failed in the scratch copy."

  # Law names, read from each property's [Trait("Law", …)] (a literal, or the file's `const string Law = "…"`), keyed
  # by Class.Method: kernel laws of different backends share method names.
  lawmap="$scratch/.lawmap"
  for source in "$scratch"/Properties/*.cs; do
    awk 'match($0, /^(public |internal )?(static |sealed |abstract |partial )*class [A-Za-z0-9_]+/) { cls = substr($0, RSTART, RLENGTH); sub(/.*class /, "", cls) }
         match($0, /const string Law = "[A-Za-z]+"/) { s = substr($0, RSTART, RLENGTH); gsub(/.*= "|"$/, "", s); fileLaw = s }
         match($0, /\[Trait\("Law", "[A-Za-z]+"\)\]/) { s = substr($0, RSTART, RLENGTH); gsub(/.*", "|"\)\]/, "", s); law = s; next }
         /\[Trait\("Law", Law\)\]/ { law = fileLaw; next }
         law != "" && match($0, /public [A-Za-z<>.]+ [A-Za-z0-9_]+[(]/) { n = substr($0, RSTART, RLENGTH - 1); sub(/.* /, "", n); print cls "." n, law; law = "" }' "$source"
  done >"$lawmap"

  # Builds the given projects (restore only on the first call); prints nothing, fails if any build fails.
  restored=""
  build_projects() {
    local p
    for p in "$@"; do
      (cd "$scratch" && dotnet build "$(project_file "$p")" -c Release -nologo -v:q -clp:ErrorsOnly $restored >>"$scratch/.build.log" 2>&1) || return 1
    done
  }

  # Runs the selected tests of one project; prints "passed failed", then Class.Method of each failed test.
  run_tests() {
    local project=$1; shift
    local trx="$scratch/.result-$project.trx"
    rm -f "$trx"
    (cd "$scratch" && timeout 1200 dotnet test "$(project_file "$project")" -c Release --no-build --nologo -v:q \
       --filter "$(filter_of "$@")" --logger "trx;LogFileName=$trx" >"$scratch/.test.log" 2>&1)
    [ -f "$trx" ] || { echo "no-result"; return; }
    local counters p f
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    echo "${p:-0} ${f:-0}"
    # A theory's testName carries its arguments in parentheses: drop them, keep the last two names.
    grep -o '<UnitTestResult [^>]*outcome="Failed"' "$trx" | sed -n 's/.* testName="\([^"(]*\).*/\1/p' | awk -F. '{ print $(NF - 1) "." $NF }'
  }

  # Runs every selector of a patch (or of all patches, for the baseline), project by project. Prints "passed failed"
  # summed, then the failed names.
  run_selection() {
    local all=("$@") projects p passed=0 failed=0 names=() out
    mapfile -t projects < <(printf '%s\n' "${all[@]}" | cut -d: -f1 | sort -u)
    build_projects "${projects[@]}" || { echo "build-failed"; return; }
    for p in "${projects[@]}"; do
      mapfile -t out < <(run_tests "$p" $(printf '%s\n' "${all[@]}" | sed -n "s/^$p://p"))
      [ "${out[0]}" != no-result ] || { echo "no-result"; return; }
      read -r tp tf <<<"${out[0]}"
      passed=$((passed + tp)); failed=$((failed + tf)); names+=("${out[@]:1}")
    done
    echo "$passed $failed"
    [ ${#names[@]} -eq 0 ] || printf '%s\n' "${names[@]}"
  }

  mapfile -t every < <(for patch in "${patches[@]}"; do selectors "$patch"; done | sort -u)
  log "baseline: building and running the ${#every[@]} selections unmutated"
  t0=$(date +%s)
  mapfile -t base < <(run_selection "${every[@]}")
  [ "${base[0]}" != build-failed ] || die "the unmutated tree does not build: $(tail -n 5 "$scratch/.build.log")"
  [ "${base[0]}" != no-result ] || die "the unmutated tests gave no result: $(tail -n 5 "$scratch/.test.log")"
  read -r base_passed base_failed <<<"${base[0]}"
  [ "$base_failed" = 0 ] && [ "$base_passed" -gt 0 ] ||
    die "the unmutated selection does not pass ($base_passed passed, $base_failed failed: ${base[*]:1}); fix it before judging mutants."
  log "baseline: $base_passed tests pass ($(( $(date +%s) - t0 )) s)"
  restored="--no-restore"   # the scratch copy is restored now; a patch never touches a project file

  {
    echo "# Mutation report"
    echo
    echo "Generated by \`./build.sh mutants\` on $(date -u +'%Y-%m-%d %H:%M UTC') from commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!mutants/last-report.md' || echo ' with uncommitted changes'),"
    echo "FUNCTIONAL_SEED=${FUNCTIONAL_SEED:-default}. Unmutated selection: $base_passed tests, all passing. Each mutant runs only the tests its"
    echo "patch names (its \`Tests:\` line); the time is its incremental build plus those tests."
    echo
  } >"$report"
  table="$scratch/.table.md"
  details="$scratch/.details.md"
  echo "| Mutant | Caught | Laws | Failing tests | Time |" >"$table"
  echo "|---|---|---|---|---|" >>"$table"
  printf '\n## What each mutant breaks\n\n' >"$details"

  survivors=0
  for patch in "${patches[@]}"; do
    name=$(basename "$patch" .patch)
    t0=$(date +%s)
    (cd "$scratch" && git apply "$root/$patch") || die "$patch does not apply to the current tree."
    log "$name: building and running $(selectors "$patch" | tr '\n' ' ')"
    mapfile -t result < <(run_selection $(selectors "$patch"))
    (cd "$scratch" && git apply -R "$root/$patch") || die "could not revert $patch."
    seconds=$(( $(date +%s) - t0 ))
    laws="" tests=""
    if [ "${result[0]}" = build-failed ] || [ "${result[0]}" = no-result ]; then
      caught="no"; tests="(${result[0]}: the mutant must build and its tests report to be judged)"; survivors=$((survivors + 1))
    else
      read -r _ failed <<<"${result[0]}"
      if [ "$failed" -gt 0 ]; then
        caught="yes"
        failing=("${result[@]:1}")
        laws=$(for t in "${failing[@]}"; do awk -v m="$t" '$1 == m { print $2 }' "$lawmap"; done | sort | uniq -c |
          awk '{ printf "%s%s (%d)", sep, $2, $1; sep = ", " }')
        # A theory fails once per case: name it once, with the count.
        tests=$(printf '%s\n' "${failing[@]}" | sort | uniq -c | awk '{ printf "%s%s%s", sep, $2, ($1 > 1 ? " ×" $1 : ""); sep = ", " }')
      else
        caught="**no**"; tests="none: the mutant survives"; survivors=$((survivors + 1))
      fi
    fi
    log "$name: caught $caught in $seconds s"
    echo "| \`$name\` | $caught | ${laws:-–} | $tests | ${seconds} s |" >>"$table"
    echo "- \`$name\`: $(describe "$patch")" >>"$details"
  done

  total=$(( $(date +%s) - started ))
  summary="$(( ${#patches[@]} - survivors )) of ${#patches[@]} mutants caught"
  { cat "$table"; echo; echo "Wall time: $total s."; cat "$details"; echo; echo "$summary"; } >>"$report"
  mv "$report" "$target"

  # Nothing here writes to the tree, but an edit made during the run is worth a word: the run judged the snapshot.
  [ "$(git status --porcelain=v1 --untracked-files=all -- . ':!artifacts' | sha1sum)" = "$tree_before" ] ||
    log "the working tree changed during the run (not by this script); the results are for the tree as it was at the start."
  echo
  cat "$table"
  echo
  echo "Report: ${target#"$root"/}. Wall time: $total s."
  echo "$summary"
  [ "$survivors" -eq 0 ]
}

main "$@"
exit $?
