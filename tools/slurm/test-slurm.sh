#!/usr/bin/env bash
# make test-slurm: the Slurm path end to end on this machine, with a real Slurm.
#  1. installs Debian's Slurm and munge when missing (tools/slurm/install.sh);
#  2. starts a private one-node cluster (tools/slurm/cluster.sh: munged, slurmctld, slurmd);
#  3. runs the quick experiment set locally in one process (repro run --quick --no-cache, report, check);
#  4. writes the job script with `repro slurm --quick --shards N` and submits it: an array of N shards, then
#     the afterok job that merges, reports and checks;
#  5. waits (every wait has a time limit: a job whose afterok parent failed would stay pending for ever),
#     reads every job's exit code from the job-completion log (there is no accounting database for sacct);
#  6. checks that the merged folder holds the same files as the local run, byte-identical apart from the
#     lines that record wall times (and junit.xml's folder path), and that `repro diff` finds no difference;
#  7. stops the daemons, also on failure or interruption.
# Exit 0 passed, 1 failed. When this machine cannot run Slurm (no root, no apt-get, a daemon that does not
# start) it prints "test-slurm: SKIPPED: <reason>" and exits 0, or 1 with REQUIRE_SLURM=1.
# Settings (environment): EXPERIMENTS (names, space-separated; default: all), SHARDS (4), THREADS (1),
# TEST_SLURM_TIMEOUT (seconds the jobs may take, 900), DOTNET, REPRO_DLL (src/Repro.Cli/bin/Release/net10.0/
# repro.dll), KEEP=1 keeps the work folder (it is kept anyway when the test fails).
set -euo pipefail
cd "$(dirname "$0")/../.."

shards=${SHARDS:-4}
threads=${THREADS:-1}
timeout=${TEST_SLURM_TIMEOUT:-900}
read -r -a experiments <<<"${EXPERIMENTS:-}"
repro=("${DOTNET:-dotnet}" "$(realpath -m "${REPRO_DLL:-src/Repro.Cli/bin/Release/net10.0/repro.dll}")")
[ -f "${repro[1]}" ] || { echo "test-slurm: FAILED: ${repro[1]} is missing (make build)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/repro-test-slurm.XXXXXX")
chmod 755 "$work"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "test-slurm: $*"; }
skip() {
    say "SKIPPED: $1"
    [ "${REQUIRE_SLURM:-0}" = 1 ] && exit 1
    exit 0
}
fail() {
    say "FAILED: $1"
    exit 1
}

started=$(now)
source tools/slurm/cluster.sh
cleanup() {
    local status=$? t
    t=$(now)
    slurm_cluster_stop
    [ -n "${cluster_started:-}" ] && say "daemons stopped in $(since "$t") s"
    if [ "$status" -eq 0 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else say "files kept in $work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. Slurm and munge.
t=$(now)
if ! install_log=$(bash tools/slurm/install.sh 2>&1); then
    skip "cannot install Slurm and munge: $(echo "$install_log" | tail -n 1)"
fi
say "Slurm $(dpkg-query -W -f='${Version}' slurmctld 2>/dev/null) and munge $(dpkg-query -W -f='${Version}' munge 2>/dev/null) present after $(since "$t") s"

# 2. The cluster (first: a machine that cannot run it is skipped before any work).
t=$(now)
slurm_cluster_start "$work/cluster" || skip "the one-node Slurm cluster did not start: $SLURM_CLUSTER_ERROR"
cluster_started=1
say "one-node cluster (munged, slurmctld, slurmd) up in $(since "$t") s"

# 3. The reference: one process, same units, same threads, nothing from a cache.
t=$(now)
local_out=$work/local
"${repro[@]}" run "${experiments[@]}" --quick --no-cache --threads "$threads" --out "$local_out" >"$work/local-run.log" 2>&1 \
    || fail "the local run failed (exit $?): $(tail -n 3 "$work/local-run.log")"
"${repro[@]}" report "$local_out" "${experiments[@]}" --quick >"$work/local-report.log" 2>&1 \
    || fail "the local report failed: $(tail -n 3 "$work/local-report.log")"
"${repro[@]}" check "$local_out" "${experiments[@]}" --quick --junit "$local_out/junit.xml" >"$work/local-check.log" 2>&1 \
    || fail "the local check failed: $(tail -n 3 "$work/local-check.log")"
say "local run, report and check of the quick set in $(since "$t") s"

# 4. The job script, as a user writes it, and its submission.
t=$(now)
merged=$work/slurm/merged
"${repro[@]}" slurm "${experiments[@]}" --quick --shards "$shards" --threads "$threads" --no-cache --out "$merged" \
    --shards-folder "$work/slurm/shards" --partition "$SLURM_PARTITION" --time 30 --merge-time 15 \
    --repro "${repro[*]}" --script "$work/submit.sh" 2>"$work/slurm-command.log" \
    || fail "repro slurm failed: $(tail -n 1 "$work/slurm-command.log")"
submitted=$(bash "$work/submit.sh" 2>&1) || fail "submitting failed: $submitted"
array=$(echo "$submitted" | sed -n 's/^repro-slurm: shards: job \([0-9]*\) .*/\1/p')
merge=$(echo "$submitted" | sed -n 's/^repro-slurm: merge, report, check: job \([0-9]*\) .*/\1/p')
[ -n "$array" ] && [ -n "$merge" ] || fail "no job ids in the submission's output: $submitted"
say "submitted array job $array (tasks 1-$shards) and merge job $merge (afterok:$array)"

# 5. Wait for the merge job's completion record: it ends COMPLETED or FAILED after the array, or
# CANCELLED when a task failed (--kill-on-invalid-dep); the limit catches anything else.
deadline=$((SECONDS + timeout))
while [ -z "$(slurm_job_record "$merge")" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        fail "no completion record of job $merge after ${timeout} s; queue: $(squeue -h -o '%i %T %r' | tr '\n' ';')"
    fi
    sleep 1
done
say "jobs finished $(since "$t") s after submission"
logs=$work/slurm/shards/logs
for ((i = 1; i <= shards; i++)); do
    record=$(slurm_job_record "$array" "$i")
    case "$record" in
        *"JobState=COMPLETED "*" ExitCode=0:0"*) ;;
        "") fail "array task $i of job $array has no completion record" ;;
        *) fail "array task $i: $(echo "$record" | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' | sed 's/ Partition.*ArrayTaskId=[0-9]*//'); log: $(tail -n 3 "$logs/shard-$i.log" 2>/dev/null)" ;;
    esac
done
record=$(slurm_job_record "$merge")
case "$record" in
    *"JobState=COMPLETED "*" ExitCode=0:0"*) ;;
    *) fail "merge job $merge: $(echo "$record" | grep -o 'JobState=[A-Z_]*') $(echo "$record" | grep -o ' ExitCode=[0-9:]*'); log: $(tail -n 5 "$logs/merge.log" 2>/dev/null)" ;;
esac
say "all $shards array tasks and the merge job completed with exit code 0 (job-completion log)"

# 6. The merged folder against the local run.
(cd "$local_out" && find . -type f | sort) >"$work/local.files"
(cd "$merged" && find . -type f | sort) >"$work/merged.files"
if ! diff -u "$work/local.files" "$work/merged.files" >"$work/files.diff"; then
    fail "the merged folder and the local run hold different files: $(grep '^[-+]\./' "$work/files.diff" | head -n 5 | tr '\n' ' ')"
fi
# Byte for byte, except the lines that record wall times (run.json and weights.json's Seconds and
# StepsPerSecond, the pages' training steps per second, REPORT.md's wall time) and the results folder's
# own path in junit.xml: those lines are dropped from both sides of a text file before comparing; every
# other file (samples, weights.bin, figures) must match byte for byte.
timing_lines='"(Seconds|StepsPerSecond)": |training steps per second|  wall time [0-9.]+ s$|<property name="results" value='
identical=0 up_to_timings=0
while read -r f; do
    if cmp -s "$local_out/$f" "$merged/$f"; then
        identical=$((identical + 1))
    elif [[ $f == *.json || $f == *.md || $f == *.xml ]] \
        && cmp -s <(grep -aEv "$timing_lines" "$local_out/$f") <(grep -aEv "$timing_lines" "$merged/$f"); then
        up_to_timings=$((up_to_timings + 1))
    elif [[ $f == *.png || $f == *.bin ]]; then
        fail "$f differs between the local run and the merged results (binary)"
    else
        fail "$f differs between the local run and the merged results: $(diff -a <(grep -aEv "$timing_lines" "$local_out/$f") <(grep -aEv "$timing_lines" "$merged/$f") | head -n 4 | tr '\n' ' ')"
    fi
done <"$work/local.files"
"${repro[@]}" diff "$local_out" "$merged" >"$work/diff.log" 2>&1 \
    || fail "repro diff finds differences: $(head -n 5 "$work/diff.log")"
say "merged results equal the local run: $identical files byte-identical, $up_to_timings identical apart from wall-time lines; repro diff: $(head -n 1 "$work/diff.log")"
say "PASSED in $(since "$started") s"
