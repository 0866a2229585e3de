#!/usr/bin/env bash
# bench/run.sh BUILD_DIR: runs every benchmark of SPEC §7 against its reference, in one go.
# Each benchmark prints its figures and ratios and exits non-zero when it misses its target;
# this script runs them all and reports which missed. Needs zoxide for dirs_bench
# (apt-get install zoxide). Takes a few minutes on 2 cores.
set -uo pipefail
build="$(cd "${1:-build}" && pwd)"
failed=()
run() {
  echo "==== $*"
  "$@" || failed+=("$(basename "$1")")
  echo
}
run "$build/bench/writer_bench"
run "$build/bench/projects_bench" "$build/gum" "$build/bench/gen_tree" "$build/bench/ref_scanner"
run "$build/bench/wal_bench" --gum "$build/gum"
GUM_BINARY="$build/gum" GUM_FIXTURE_SERVER="$build/gum_fixture_server" run "$build/bench/sync_bench"
run "$build/bench/serve_bench" "$build/gum" "$build/bench/gen_tree"
if command -v zoxide >/dev/null; then
  run "$build/bench/dirs_bench" --gum "$build/gum" --zoxide "$(command -v zoxide)"
else
  echo "==== dirs_bench skipped: zoxide is not installed (apt-get install zoxide)"
  failed+=("dirs_bench (no zoxide)")
fi
if command -v zoxide >/dev/null; then
  run "$(dirname "$0")/hook_bench.sh" "$build/gum"
fi
run "$(dirname "$0")/engine_loss.sh" "$build/gum"
# Issue 14's read goals, paired with farm-bench when it is installed (informational).
if command -v farm-bench >/dev/null && command -v zoxide >/dev/null; then
  echo "==== everyday.sh (issue 14: cached list, jump KW/MISS, dirs list; paired ratios)"
  "$(dirname "$0")/everyday.sh" "$build/gum" "$build/bench/gen_tree" || true
  echo
fi
if ((${#failed[@]})); then
  echo "targets missed: ${failed[*]}"
  exit 1
fi
echo "all benchmark targets met"
