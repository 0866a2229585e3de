#!/usr/bin/env bash
# bench/hook_bench.sh GUM: the per-cd cost of shell hooks, all in one bash, in the same run
# (issue 15): an empty function, zoxide's hook, gum's process hook and gum's engine hook,
# 2 000 directory changes each (median of per-cd times), then `j KW` through the engine
# against `zoxide query KW`, on a 10 000-entry database; and the idle engine's RSS.
# Targets: engine hook <= 0.02x zoxide's; j via engine <= 0.2x zoxide query; RSS < 8 MB.
set -euo pipefail
gum=${1:?usage: hook_bench.sh GUM}
command -v zoxide >/dev/null || { echo "hook_bench: zoxide is not installed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/config _ZO_DATA_DIR=$work/zo
mkdir -p "$HOME" "$_ZO_DATA_DIR"
for i in $(seq 1 40); do mkdir -p "$HOME/d$i/kwtarget$i"; done
# 10 000 entries in both databases (imported once, not timed).
entries=$work/entries
for i in $(seq 1 10000); do printf '%s\t%s\n' "$HOME/d$((i % 40 + 1))/entry$i" 1; done >"$entries"
for i in $(seq 1 10000); do mkdir -p "$HOME/d$((i % 40 + 1))/entry$i"; done
printf '%s\n' "$HOME"/d*/entry* | head -n 10000 | while IFS= read -r d; do zoxide add "$d"; done 2>/dev/null &
zpid=$!
"$gum" import --help >/dev/null 2>&1 || true
printf '%s\n' "$HOME"/d*/entry* | head -n 10000 | xargs -n 500 "$gum" add -- >/dev/null
wait "$zpid"
cat >"$work/run.bash" <<BASH
set +e
now_us() { local t=\$EPOCHREALTIME; echo \$(( \${t/./} )); }
dirs=("$HOME"/d*)
measure() {  # NAME HOOKCMD: 2000 cds, the median of per-cd hook times in microseconds
  local name=\$1 hook=\$2 i t0 t1 n=\${#dirs[@]}; local -a times=()
  for ((i = 0; i < 2000; i++)); do
    builtin cd "\${dirs[i % n]}"
    t0=\${EPOCHREALTIME/./}; eval "\$hook"; t1=\${EPOCHREALTIME/./}
    times+=(\$((t1 - t0)))
  done
  printf '%s\n' "\${times[@]}" | sort -n | sed -n 1000p | sed "s/^/\$name /"
}
empty_hook() { :; }
measure empty empty_hook
eval "\$(zoxide init bash --hook none)"
measure zoxide '_zoxide_hook'
eval "\$("$gum" init bash --no-cmd)"
measure gum-process '__gum_oldpwd=; __gum_hook'
eval "\$("$gum" init bash --engine --no-cmd)"
measure gum-engine '__gum_oldpwd=; __gum_hook'
eval "\$("$gum" init bash --engine)"
t0=\${EPOCHREALTIME/./}; for ((i = 0; i < 200; i++)); do builtin cd "$HOME"; j kwtarget7 >/dev/null; done; t1=\${EPOCHREALTIME/./}
echo "j-engine \$(( (t1 - t0) / 200 ))"
t0=\${EPOCHREALTIME/./}; for ((i = 0; i < 200; i++)); do zoxide query kwtarget7 >/dev/null; done; t1=\${EPOCHREALTIME/./}
echo "zoxide-query \$(( (t1 - t0) / 200 ))"
echo "engine-rss-kb \$(awk '/VmRSS/ {print \$2}' /proc/\$__gum_engine_pid/status)"
BASH
bash "$work/run.bash" | tee "$work/figures"
get() { awk -v k="$1" '$1 == k {print $2}' "$work/figures"; }
ok=0
awk -v e="$(get gum-engine)" -v z="$(get zoxide)" 'BEGIN { r = e / z; printf "engine hook / zoxide hook = %.4f (target <= 0.02)\n", r; exit !(r <= 0.02) }' || ok=1
awk -v e="$(get j-engine)" -v z="$(get zoxide-query)" 'BEGIN { r = e / z; printf "j via engine / zoxide query = %.3f (target <= 0.2)\n", r; exit !(r <= 0.2) }' || ok=1
awk -v r="$(get engine-rss-kb)" 'BEGIN { printf "idle engine RSS = %d kB (target < 8192)\n", r; exit !(r < 8192) }' || ok=1
exit $ok
