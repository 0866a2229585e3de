#!/usr/bin/env bash
# bench/everyday.sh GUM GEN_TREE [RUNS]: issue 14's read comparisons, paired with farm-bench.
#
# The cached list of 10 000 and 1 000 projects against sqlite3 on the same database, `gum jump`
# (a keyword with ten matches, and one with none) against `zoxide query`, and the directory list
# against `zoxide query --list`, at 10 000 directories. Every pair runs A B A B ... in one call
# of farm-bench (/usr/local/bin/farm-bench, the shared machine's timer), so the ratio holds when
# the machine's speed drifts; each line prints farm-bench's median ratio and gum's peak RSS.
# The writes: `gum add` of an existing directory against `zoxide add` at 9 000 directories
# (below the aging edge; 2 x RUNS visits move the total by under 1 %, so no restore is needed)
# and at 10 000 (every visit ages and drops all but the visited row, so both commands first
# restore both tools' databases, the same `sh -c 'cp ...; cp ...; exec TOOL add'` on either
# side: the ratio includes that common cost), and one more `gum add` after 2 000 in a row
# against the same add on a fresh copy of those rows (no WAL left behind).
# The floor: caf_floor (built beside gen_tree) starts an actor system as the CLI does, asks one
# detached actor one question and stops; it is timed against the same references, so that each
# ratio splits into the floor's share and gum's own work (issue 14's note). sqlite_floor is that
# floor plus the one SQLite statement a command needs, on the same database: the rest is gum's.
# Needs sqlite3 and zoxide. The fixtures live in a temporary folder, removed at the end.
set -euo pipefail
gum="$(realpath "$1")"
gen="$(realpath "$2")"
floor="$(dirname "$gen")/caf_floor"
sqlite_floor="$(dirname "$gen")/sqlite_floor"
runs="${3:-21}"
zoxide="$(command -v zoxide)"
work="$(mktemp -d /tmp/gum-everyday-XXXXXX)"
trap 'rm -rf "$work"' EXIT

fixture_projects() {  # DIR N: a HOME with N generated repositories and a built index
  local dir="$1" n="$2"
  mkdir -p "$dir/home/projects" "$dir/config/gum" "$dir/cache"
  printf 'projects: [~/projects]\ncache: {ttl: 0}\n' >"$dir/config/gum/config.yaml"
  "$gen" "$dir/home/projects" "$n" --seed 7 >/dev/null
  HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" \
    "$gum" projects --refresh >/dev/null
  sqlite3 "$dir/cache/gum/gum.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
}

fixture_dirs() {  # DIR N: N directories of rank 1 in both gum and zoxide
  local dir="$1" n="$2" i
  mkdir -p "$dir/home" "$dir/config" "$dir/cache" "$dir/zo"
  : >"$dir/z.txt"
  for ((i = 0; i < n; i++)); do
    printf -v rel '/src/g%02d/project-%05d' $((i % 100)) "$i"
    mkdir -p "$dir/home$rel"
    echo "$dir/home$rel|1|$((1700000000 + i))" >>"$dir/z.txt"
  done
  HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" \
    "$gum" --quiet import --from z "$dir/z.txt"
  _ZO_DATA_DIR="$dir/zo" HOME="$dir/home" "$zoxide" import "$dir/z.txt"
  sqlite3 "$dir/cache/gum/gum.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
}

pair() {  # LABEL DIR REFERENCE -- GUM_ARGS...: one farm-bench pairing, summarised
  local label="$1" dir="$2" ref="$3"
  shift 4
  pair_cmd "$label" "$dir" "$ref" -- "$gum" "$@"
}

pair_cmd() {  # LABEL DIR REFERENCE -- COMMAND...: the same for any command
  local label="$1" dir="$2" ref="$3"
  shift 4
  local out
  out="$(HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" \
    _ZO_DATA_DIR="$dir/zo" farm-bench -n "$runs" --vs "$ref" -- "$@" 2>&1)"
  echo "==== $label"
  echo "$out"
}

restore_pair() {  # LABEL DIR TARGET: `gum add` vs `zoxide add` of TARGET, both DBs restored
  local label="$1" dir="$2" target="$3"
  local g="$dir/cache/gum/gum.db" z="$dir/zo/db.zo"
  cp "$g" "$dir/gum.pristine"
  cp "$z" "$dir/zo.pristine"
  local restore="cp $dir/gum.pristine $g && rm -f $g-wal $g-shm && cp $dir/zo.pristine $z"
  local out
  out="$(HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" \
    _ZO_DATA_DIR="$dir/zo" farm-bench -n "$runs" \
    --vs "sh -c '$restore && exec $zoxide add $target'" \
    -- sh -c "$restore && exec $gum add $target" 2>&1)"
  echo "==== $label"
  echo "$out"
}

fixture_after_visits() {  # DIR N: a database after N single `gum add` processes, and a fresh copy
  local dir="$1" n="$2" i
  mkdir -p "$dir/home/v" "$dir/config" "$dir/cache"
  for ((i = 0; i < n; i++)); do mkdir -p "$dir/home/v/$i"; done
  for ((i = 0; i < n; i++)); do
    HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" \
      "$gum" add "$dir/home/v/$i"
  done
  # The fresh copy: the same rows, checkpointed into a file of its own, no WAL.
  sqlite3 "$dir/cache/gum/gum.db" ".backup '$dir/fresh.db'"
}

rss() {  # LABEL DIR CMD...: the median peak RSS (VmHWM, /usr/bin/time -f %M) of 7 runs, in MB
  local label="$1" dir="$2" i
  shift 2
  local kb=()
  for ((i = 0; i < 7; i++)); do
    kb+=("$(HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" \
      /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)")
  done
  local median
  median="$(printf '%s\n' "${kb[@]}" | sort -n | sed -n 4p)"
  echo "rss $label: $(awk -v k="$median" 'BEGIN { printf "%.1f MB", k / 1024 }') (median of 7)"
}

fixture_projects "$work/p10k" 10000
fixture_projects "$work/p1k" 1000
fixture_dirs "$work/d10k" 10000
fixture_dirs "$work/d9k" 9000
fixture_after_visits "$work/v2k" 2000
uptime
for n in 10k 1k; do
  db="$work/p$n/cache/gum/gum.db"
  pair "cached projects $n vs sqlite3" "$work/p$n" \
    "sqlite3 $db 'select path from projects order by path'" -- projects -f simple --cached
done
pair "jump KW, 10 000 dirs" "$work/d10k" "$zoxide query project-0333" -- jump project-0333
pair "jump MISS, 10 000 dirs" "$work/d10k" "$zoxide query nomatchxq" -- jump nomatchxq
pair "dirs list, 10 000 dirs" "$work/d10k" "$zoxide query --list" -- dirs -f simple
# Peak RSS without farm-bench's floor (about 11 MiB): the process's own high-water mark.
rss "cached projects 10k, gum" "$work/p10k" "$gum" projects -f simple --cached
rss "cached projects 10k, sqlite3" "$work/p10k" sqlite3 "$work/p10k/cache/gum/gum.db" \
  'select path from projects order by path'
rss "jump KW, 10 000 dirs, gum" "$work/d10k" "$gum" jump project-0333
# The floor against the references of the rows around it (before the aging row below, which
# leaves zoxide's database at 10 000 aged).
pair_cmd "floor (actor system, one request) vs sqlite3 list of 1k" "$work/p1k" \
  "sqlite3 $work/p1k/cache/gum/gum.db 'select path from projects order by path'" -- "$floor"
pair_cmd "floor vs zoxide query KW, 10 000 dirs" "$work/d10k" "$zoxide query project-0333" -- \
  "$floor"
pair_cmd "floor vs zoxide add, 9 000 dirs" "$work/d9k" \
  "$zoxide add $work/d9k/home/src/g33/project-00333" -- "$floor"
rss "floor" "$work/d10k" "$floor"
# The SQLite floor: the floor whose actor opens the database and runs one SQL statement
# (the same list as sqlite3; a range of the name index with the jump's ten rows; one visit's
# update in a write transaction). What gum adds on top of it is gum's own code.
pair_cmd "SQLite floor (list of 1k) vs sqlite3 list of 1k" "$work/p1k" \
  "sqlite3 $work/p1k/cache/gum/gum.db 'select path from projects order by path'" -- \
  "$sqlite_floor" "$work/p1k/cache/gum/gum.db" 'select path from projects order by path'
pair_cmd "SQLite floor (ten rows by name) vs zoxide query KW, 10 000 dirs" "$work/d10k" \
  "$zoxide query project-0333" -- "$sqlite_floor" "$work/d10k/cache/gum/gum.db" \
  "SELECT path FROM dir_frecency WHERE name >= 'project-0333' AND name < 'project-0334'"
pair_cmd "SQLite floor (one visit's update) vs zoxide add, 9 000 dirs" "$work/d9k" \
  "$zoxide add $work/d9k/home/src/g33/project-00333" -- "$sqlite_floor" \
  "$work/d9k/cache/gum/gum.db" "UPDATE dir_frecency SET scaled_rank = scaled_rank + 1, \
last_seen = last_seen + 1 WHERE path = '$work/d9k/home/src/g33/project-00333'" --write
pair "add EXISTING, 9 000 dirs vs zoxide add" "$work/d9k" \
  "$zoxide add $work/d9k/home/src/g33/project-00333" -- add "$work/d9k/home/src/g33/project-00333"
restore_pair "add EXISTING, 10 000 dirs (ages), both DBs restored, vs zoxide add" "$work/d10k" \
  "$work/d10k/home/src/g33/project-00333"
v="$work/v2k"
pair "one more add after 2 000 in a row vs the same add on a fresh copy" "$v" \
  "$gum --db $v/fresh.db add $v/home/v/7" -- --db "$v/cache/gum/gum.db" add "$v/home/v/7"
uptime
