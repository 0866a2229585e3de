#!/usr/bin/env bash
# bench/engine_loss.sh GUM [SHELLS] [CDS]: no visit is lost through the resident engine
# (issue 15). SHELLS (16) interactive bash shells, each on its own pseudo-terminal (script(1)),
# each with the engine hook (`gum init bash --engine`), run CDS (200) `cd`s to known
# directories at the same time. Each shell logs every cd it completed to its own file (a
# PROMPT_COMMAND entry after gum's hook: a line is written once the hook has handed the visit
# to the engine). Some shells are cut off part way:
#   - SIGHUP to bash while it waits at a prompt (its last logged cd), as `kill -HUP` does;
#   - the terminal goes away (script(1) is SIGKILLed: the pty closes and the kernel hangs up
#     the shell), as when a terminal window is closed.
# The others type `exit`. Then it checks that
#   - every logged cd is in the database, each directory's rank is exactly its number of
#     logged cds and the ranks sum to the number of logged cds (the total stays under the
#     aging threshold of 10 000, so no aging happens), and nothing else is there;
#   - no engine outlives its shell, and none is left a zombie;
#   - `gum integrity` is clean.
# Exit status 1 when any check fails. Takes well under a minute.
set -euo pipefail
gum="$(realpath "${1:?usage: engine_loss.sh GUM [SHELLS] [CDS]}")"
shells="${2:-16}"
cds="${3:-200}"
((shells * cds < 10000)) || { echo "engine_loss: keep SHELLS x CDS under 10 000 (aging)" >&2; exit 2; }
command -v script >/dev/null || { echo "engine_loss: script(1) is missing (bsdutils)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "engine_loss: sqlite3 is missing" >&2; exit 2; }
work="$(mktemp -d /tmp/gum-engine-loss-XXXXXX)"
cleanup() {
  local p
  for p in "${script_pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
script_pids=()
trap cleanup EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export TERM=dumb
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
ndirs=200
for ((d = 0; d < ndirs; d++)); do printf '%s/d/dir %03d\n' "$HOME" "$d"; done >"$work/dirs"
xargs -d '\n' mkdir -p <"$work/dirs"
mapfile -t dirs <"$work/dirs"

# How each shell is cut off: every fourth by SIGHUP, every eighth (from the third) by losing its
# terminal, part way; the rest exit.
fate() {
  if (($1 % 4 == 1)); then echo hup
  elif (($1 % 8 == 2)); then echo hangup
  else echo exit
  fi
}
# The cd after which a cut-off shell goes: somewhere in the middle.
cut_at() { echo $((cds / 4 + ($1 * 37) % (cds / 2))); }

# The hook calls gum through a wrapper that logs every start: only engines may start (a
# `gum add` would be the process hook's fallback, which would record the visit too, but
# through a process per cd).
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/starts" "$gum" >"$work/gum"
chmod +x "$work/gum"
: >"$work/starts"
hook="$("$gum" init bash --engine)
__gum_bin='$work/gum'"
for ((i = 0; i < shells; i++)); do
  s="$work/s$i"
  mkdir -p "$s"
  cat >"$s/rc" <<RC
PS1='\$ '
$hook
__loss_last=\$PWD
__loss_engine=
# After gum's hook: the cd is logged once the hook has handed it to the engine.
__loss_log() {
  if [[ -n "\$__gum_engine_pid" && "\$__gum_engine_pid" != "\$__loss_engine" ]]; then
    __loss_engine=\$__gum_engine_pid
    \builtin printf '%s\n' "\$__gum_engine_pid" >>'$s/engines'
  fi
  [[ "\$PWD" != "\$__loss_last" ]] || \builtin return 0
  __loss_last=\$PWD
  \builtin printf '%s\n' "\$PWD" >>'$s/log'
}
PROMPT_COMMAND="\${PROMPT_COMMAND};__loss_log"
\builtin printf '%s\n' "\$\$" >'$s/pid'
RC
  : >"$s/log"
  : >"$s/engines"
  mkfifo "$s/in"
  script -qfc "bash --noprofile --rcfile '$s/rc' -i" /dev/null <"$s/in" >"$s/out" 2>&1 &
  script_pids+=($!)
  disown $!  # no "Killed" line when its terminal is taken away
  exec {fd}>"$s/in"
  eval "in_fd_$i=$fd"
done

lines() { local n; n=$(wc -l <"$1"); echo "$n"; }
# FILE N: waits (up to 60 s) until FILE has N lines.
wait_lines() {
  local t
  for ((t = 0; t < 600; t++)); do
    (($(lines "$1") >= $2)) && return 0
    sleep 0.1
  done
  echo "engine_loss: timed out waiting for $2 lines in $1 (has $(lines "$1"))" >&2
  return 1
}

start=$EPOCHREALTIME
for ((i = 0; i < shells; i++)); do wait_lines "$work/s$i/pid" 1; done
# Type every shell's cds (all of them, or those before its cut), in rounds so that the shells
# run at the same time.
declare -a todo
for ((i = 0; i < shells; i++)); do
  if [[ $(fate "$i") == exit ]]; then todo[i]=$cds; else todo[i]=$(cut_at "$i"); fi
done
for ((k = 0; k < cds; k += 20)); do
  for ((i = 0; i < shells; i++)); do
    fdvar="in_fd_$i"
    for ((j = k; j < k + 20 && j < todo[i]; j++)); do
      printf 'cd %q\n' "${dirs[(i * 13 + j * 7) % ndirs]}" >&"${!fdvar}"
    done
  done
done
# Cut off or end each shell once it has logged what it was given.
for ((i = 0; i < shells; i++)); do
  s="$work/s$i"
  wait_lines "$s/log" "${todo[i]}"
  fdvar="in_fd_$i"
  case $(fate "$i") in
    hup) kill -HUP "$(cat "$s/pid")" ;;
    hangup) kill -KILL "${script_pids[i]}" ;;
    exit) printf 'exit\n' >&"${!fdvar}" ;;
  esac
done
# Every shell ends; then every engine must end too.
for ((i = 0; i < shells; i++)); do
  bash_pid=$(cat "$work/s$i/pid")
  for ((t = 0; t < 100; t++)); do
    kill -0 "$bash_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$bash_pid" 2>/dev/null && echo "engine_loss: shell $i ($bash_pid) did not end" >&2
  fdvar="in_fd_$i"
  eval "exec ${!fdvar}>&-"
done
for p in "${script_pids[@]}"; do
  for ((t = 0; t < 100; t++)); do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
done
script_pids=()
shells_done=$EPOCHREALTIME
cat "$work"/s*/engines >"$work/engines"
engines_started=$(lines "$work/engines")
# An engine that ended is gone, or a zombie until its parent (init, after the shell died)
# reaps it: wait up to 5 s for each to be gone.
alive=0 zombies=0
while read -r e; do
  for ((t = 0; t < 50; t++)); do
    [[ -e /proc/$e ]] || break
    sleep 0.1
  done
  if [[ -e /proc/$e ]]; then
    if [[ $(awk '/^State:/ {print $2}' "/proc/$e/status" 2>/dev/null) == Z ]]; then
      zombies=$((zombies + 1))
      echo "engine_loss: engine $e is a zombie of $(awk '/^PPid:/ {print $2}' "/proc/$e/status")" >&2
    else
      alive=$((alive + 1))
      echo "engine_loss: engine $e outlived its shell: $(tr '\0' ' ' <"/proc/$e/cmdline")" >&2
    fi
  fi
done <"$work/engines"
engines_done=$EPOCHREALTIME
other_starts=$(grep -vcx 'engine --stdio' "$work/starts" || true)

# What the shells logged against what the database holds.
db="$XDG_CACHE_HOME/gum/gum.db"
cat "$work"/s*/log | sort | uniq -c | awk '{ n = $1; sub(/^ *[0-9]+ /, ""); printf "%s\t%d\n", $0, n }' |
  sort >"$work/logged"
sqlite3 -separator $'\t' "$db" 'SELECT path, rank FROM dir_usage' |
  awk -F'\t' '{ printf "%s\t%g\n", $1, $2 }' | sort >"$work/recorded"
logged=$(cat "$work"/s*/log | wc -l)
recorded=$(sqlite3 "$db" 'SELECT total(rank) FROM dir_usage')
differ=$(diff "$work/logged" "$work/recorded" | grep -c '^[<>]' || true)
integrity="$("$gum" integrity 2>&1)" && integrity_ok=1 || integrity_ok=0

ok=0
echo "shells: $shells ($(for ((i = 0; i < shells; i++)); do fate "$i"; done | sort | uniq -c | awk '{printf "%s%d %s", sep, $1, $2; sep=", "}')), $cds cds each at most"
awk -v a="$start" -v b="$shells_done" 'BEGIN { printf "shells ran for %.1f s\n", b - a }'
echo "visits logged by the shells: $logged; ranks in the database: $recorded (sum); directories that differ: $differ"
echo "engines started: $engines_started; outlived their shell: $alive; zombies: $zombies"
awk -v a="$shells_done" -v b="$engines_done" 'BEGIN { printf "every engine gone %.2f s after the last shell\n", b - a }'
echo "gum processes other than engines started by the hooks: $other_starts"
echo "gum integrity: $([[ $integrity_ok == 1 ]] && echo clean || echo "FAILED: $integrity")"
awk -v l="$logged" -v r="$recorded" 'BEGIN { exit !(l == r) }' || { echo "LOST OR EXTRA VISITS"; ok=1; }
((differ == 0)) || { diff "$work/logged" "$work/recorded" | head -20; ok=1; }
((alive == 0 && zombies == 0)) || ok=1
((engines_started == shells && other_starts == 0)) || { echo "A HOOK FELL BACK TO A PROCESS"; ok=1; }
((integrity_ok == 1)) || ok=1
((logged > 0)) || ok=1
((ok == 0)) && echo "engine_loss: no visit lost, no engine left" || echo "engine_loss: FAILED"
exit $ok
