#!/usr/bin/env bash
# bench/hook_bench.sh GUM [CDS] [JUMPS]: the per-cd cost of shell hooks, all in ONE bash, in the
# same run (issue 15):
#   - an empty function, zoxide's own hook (`zoxide init bash`: _zoxide_hook, which runs
#     `zoxide add "$(pwd -L)"` when $PWD changed), gum's process hook and gum's engine hook
#     (`gum init bash [--engine]`: __gum_hook), CDS (2 000) directory changes each, the median
#     (and mean) of the per-cd hook times;
#   - `j KW` through the engine against `zoxide query KW` run as a process, JUMPS (200) each;
# on the 10 000-entry database of bench/everyday.sh (the same fixture: a z file imported into
# both tools, which is fast). Targets: engine hook <= 0.02x zoxide's hook; j via engine <= 0.2x
# zoxide query (and it reports the engine's RSS after the run, and idle). Exit status 1 when a
# target is missed. Needs zoxide. Takes about a minute and a half.
# The hook is called directly after each `builtin cd` (a non-interactive bash runs no
# PROMPT_COMMAND), with its "last directory" reset, so every call records a visit.
set -euo pipefail
gum="$(realpath "${1:?usage: hook_bench.sh GUM [CDS] [JUMPS]}")"
cds="${2:-2000}"
jumps="${3:-200}"
zoxide="$(command -v zoxide)" || { echo "hook_bench: zoxide is not installed" >&2; exit 1; }
work="$(mktemp -d /tmp/gum-hook-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export _ZO_DATA_DIR="$work/zo"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$_ZO_DATA_DIR"

# The fixture of bench/everyday.sh's fixture_dirs (10 000 directories /src/gNN/project-NNNNN,
# imported from one z file), made so that neither tool ages during the run: aging would drop
# the imported entries and the queries would run on a small database. gum ages when the total
# rank passes 10 000 (SPEC §3.2), so its entries have rank 0.2 (total 2 000, plus the 4 000
# visits of its two hooks); zoxide ages when its total passes _ZO_MAXAGE (1 000 by default, so
# at 10 000 entries it would age on every add), which is raised here.
export _ZO_MAXAGE=1000000
now=$(date +%s)
for ((i = 0; i < 10000; i++)); do
  printf '%s/src/g%02d/project-%05d|%s|%d\n' "$HOME" $((i % 100)) "$i" RANK $((now - 10000 + i))
done >"$work/z.txt"
cut -d'|' -f1 "$work/z.txt" | xargs -d '\n' mkdir -p
sed 's/|RANK|/|0.2|/' "$work/z.txt" >"$work/z-gum.txt"
sed 's/|RANK|/|1|/' "$work/z.txt" >"$work/z-zoxide.txt"
"$gum" --quiet import --from z "$work/z-gum.txt"
"$zoxide" import "$work/z-zoxide.txt" >/dev/null
echo "fixture: $(wc -l <"$work/z.txt") directories in gum ($("$gum" dirs -f simple | wc -l)) and zoxide ($("$zoxide" query --list | wc -l))"

# The directories the hooks see: 100 of the imported ones, visited in turn.
head -n 100 "$work/z.txt" | cut -d"|" -f1 >"$work/cd-dirs"

cat >"$work/run.bash" <<'BASH'
set +e
mapfile -t dirs <"$BENCH_DIRS"
ndirs=${#dirs[@]}
# NAME HOOK...: $BENCH_CDS cds, each followed by one timed call of the hook; prints
# "NAME MEDIAN_US MEAN_US".
measure() {
  local name=$1 i t0 t1 sum=0
  shift
  local -a times=()
  for ((i = 0; i < BENCH_CDS; i++)); do
    builtin cd -- "${dirs[i % ndirs]}"
    __gum_oldpwd=
    t0=${EPOCHREALTIME/./}
    "$@"
    t1=${EPOCHREALTIME/./}
    times+=($((t1 - t0)))
    sum=$((sum + t1 - t0))
  done
  printf '%s %s %s\n' "$name" \
    "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (BENCH_CDS + 1) / 2 ))p")" \
    "$((sum / BENCH_CDS))"
}
# Waits until the background recorders a hook left behind have ended (not timed), so that
# they do not load the machine during the next measurement.
settle() {
  local n
  for ((n = 0; n < 600; n++)); do
    pgrep -f -- "$1" >/dev/null || return 0
    sleep 0.1
  done
}

empty_hook() { :; }
measure empty empty_hook

eval "$("$BENCH_ZOXIDE" init bash)"
PROMPT_COMMAND=
measure zoxide _zoxide_hook


eval "$("$BENCH_GUM" init bash --no-cmd)"
PROMPT_COMMAND=
measure gum-process __gum_hook
settle "$BENCH_GUM add"

eval "$("$BENCH_GUM" init bash --engine)"
PROMPT_COMMAND=
__gum_engine_ready   # started here, not timed (the first cd of a shell pays ~10 ms for it)
__gum_engine_send ping && __gum_engine_receive
measure gum-engine __gum_hook

# j KW through the engine (one request, one reply, then a builtin cd), against zoxide query.
jump_engine() { j project-0333 >/dev/null; builtin cd -- "$HOME"; }
query_zoxide() { "$BENCH_ZOXIDE" query project-0333 >/dev/null; }
BENCH_CDS=$BENCH_JUMPS
measure j-engine jump_engine
measure zoxide-query query_zoxide
builtin cd -- "$HOME"
j project-0333 && echo "j-answer $PWD"
builtin cd -- "$HOME"
echo "zoxide-answer $("$BENCH_ZOXIDE" query project-0333)"
echo "engine-pid $__gum_engine_pid"
echo "engine-rss-kb $(awk '/^VmRSS/ {print $2}' "/proc/$__gum_engine_pid/status")"
echo "engine-threads $(awk '/^Threads/ {print $2}' "/proc/$__gum_engine_pid/status")"
sleep 11  # the engine gives memory back after 10 s without a request (gum engine --idle-ms)
echo "engine-idle-rss-kb $(awk '/^VmRSS/ {print $2}' "/proc/$__gum_engine_pid/status")"
echo "engine-hwm-kb $(awk '/^VmHWM/ {print $2}' "/proc/$__gum_engine_pid/status")"
BASH

uptime
BENCH_DIRS="$work/cd-dirs" BENCH_CDS="$cds" BENCH_JUMPS="$jumps" BENCH_GUM="$gum" \
  BENCH_ZOXIDE="$zoxide" bash "$work/run.bash" </dev/null >"$work/figures"
cat "$work/figures"
uptime
get() { awk -v k="$1" -v c="${2:-2}" '$1 == k { print $c }' "$work/figures"; }
printf '\n%-14s %12s %12s %14s\n' "per call" "median us" "mean us" "x zoxide hook"
for k in empty zoxide gum-process gum-engine; do
  awk -v k="$k" -v m="$(get "$k")" -v a="$(get "$k" 3)" -v z="$(get zoxide)" \
    'BEGIN { printf "%-14s %12d %12d %14.4f\n", k, m, a, m / z }'
done
printf '%-14s %12s %12s %14s\n' "" "" "" "x zoxide query"
for k in j-engine zoxide-query; do
  awk -v k="$k" -v m="$(get "$k")" -v a="$(get "$k" 3)" -v z="$(get zoxide-query)" \
    'BEGIN { printf "%-14s %12d %12d %14.4f\n", k, m, a, m / z }'
done
echo
echo "answers: j -> $(get j-answer) ; zoxide -> $(get zoxide-answer)"
echo "entries after the run (no aging): gum $("$gum" dirs -f simple | wc -l), zoxide $("$zoxide" query --list | wc -l)"
echo "engine after the run: $(get engine-rss-kb) kB RSS, $(get engine-threads) threads;" \
  "idle 11 s later: $(get engine-idle-rss-kb) kB RSS (peak $(get engine-hwm-kb) kB)"
ok=0
awk -v e="$(get gum-engine)" -v z="$(get zoxide)" 'BEGIN { r = e / z
  printf "engine hook / zoxide hook = %.4f (target <= 0.02): %s\n", r, r <= 0.02 ? "met" : "MISSED"
  exit !(r <= 0.02) }' || ok=1
awk -v e="$(get j-engine)" -v z="$(get zoxide-query)" 'BEGIN { r = e / z
  printf "j via engine / zoxide query = %.4f (target <= 0.2): %s\n", r, r <= 0.2 ? "met" : "MISSED"
  exit !(r <= 0.2) }' || ok=1
exit $ok
