#!/usr/bin/env bash
# tests/code_order_check.sh ORDER OBJDUMP OBJECTS: fails when cmake/gum.order names sections
# that gum's objects (listed in the file OBJECTS, one a line: gum_order_objects.txt, which
# CMake writes) do not have.
#
# gold lays out the sections the order file names and silently skips the rest, so a file that
# names symbols instead of sections (an alias such as a D1 destructor lives in the D2 one's
# section, a thunk in its target's) leaves those functions scattered, each touching a 64 KB
# window of its own (docs/architecture.md, "Peak RSS"). A few stale lines are normal after a
# rename and cost little until bench/order_code.sh is run again; more than a tenth means the
# file is wrong.
set -euo pipefail
order="$1" objdump="$2" objects="$3"
export LC_ALL=C
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mapfile -t files <"$objects"
"$objdump" -h "${files[@]}" | awk '$2 ~ /^\.text\./ { print $2 }' | sort -u >"$work/have"
grep '^\.text\.' "$order" | grep -v '[*?]' | sort -u >"$work/want"
wanted=$(wc -l <"$work/want")
comm -23 "$work/want" "$work/have" >"$work/missing"
missing=$(wc -l <"$work/missing")
echo "$order: $wanted sections named, $missing not in the objects"
if [ "$wanted" -eq 0 ] || [ $((missing * 10)) -gt "$wanted" ]; then
  echo "more than a tenth are missing; the first of them:" >&2
  head -5 "$work/missing" >&2
  echo "regenerate it: bench/order_code.sh BUILD" >&2
  exit 1
fi
