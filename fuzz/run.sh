#!/bin/bash
# fuzz/run.sh BUILD_DIR BUDGET [TARGET...]: runs each fuzz target on its seed corpus
# (fuzz/corpus/<target>/). BUDGET is either SECONDS, an exploring run with a random seed for
# that long (`make fuzz`), or runs=N, N inputs from seed 1 (`make test`): a fixed budget and
# seed, so CI's pass does not depend on the machine's speed or on a seed's luck that day
# (docs/integrity.md, "Fuzzers"). Exploring is `make fuzz`'s job; its finds become seeds and tests.
# New inputs go to BUILD_DIR/corpus/<target>/, never into the tree; a crash leaves its input in
# BUILD_DIR/artifacts/ and fails the script. Turn a crash into a regression test in tests/ and,
# once fixed, add the input to the seed corpus.
set -euo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS|runs=N [TARGET...]}
budget=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS|runs=N [TARGET...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(config git_metadata remote_url github_pages link_header legacy_cache dir_import
           keywords)
fi
case $budget in
  runs=*) limit=(-runs="${budget#runs=}" -seed=1); what="seed 1" ;;
  *) limit=(-max_total_time="$budget"); what="${budget}s" ;;
esac
mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  log="$build/fuzz_$t.log"
  if "$build/fuzz_$t" "${limit[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
       -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
       "$build/corpus/$t" "$here/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz $t: ok, ${runs:-?} runs ($what), $cov"
  else
    echo "fuzz $t: FAILED (input in $build/artifacts/, log $log)"
    tail -n 30 "$log"
    status=1
  fi
done
exit $status
