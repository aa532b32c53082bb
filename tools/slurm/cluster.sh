# A one-node Slurm cluster on this machine, for tests: private munged, slurmctld and slurmd started
# directly (no systemd), each in the foreground as a child of the calling shell, with every file
# (munge key and socket, slurm.conf, state, logs, job-completion log) under one state folder and the
# controller and node on free local ports, so it neither needs nor disturbs a system Slurm or munge.
#
# Source it from bash, then:
#   slurm_cluster_start STATE   start (exit status 0), or return 1 with the reason in SLURM_CLUSTER_ERROR
#   slurm_cluster_stop          cancel every job, shut the daemons down, wait for them (safe to call twice)
#   slurm_job_record ID [TASK]  the job-completion line of job ID (of array task TASK), empty if none yet
# After a start, SLURM_CONF is exported (the client commands read it) and SLURM_PARTITION names the
# partition. Accounting has no database here, so sacct does not work: exit codes come from the
# job-completion log (JobCompType=jobcomp/filetxt, SLURM_JOBCOMP_LOG).
#
# Details learned on Debian 12 (Slurm 22.05.8, munge 0.5.15):
#  - munged refuses to run as root: it runs as the munge user, with its key in a 0700 folder and its
#    socket in a 0755 folder that user owns (munged refuses a socket folder others cannot enter);
#  - MailProg=/bin/true (there is no mailer; the default /bin/mail is missing);
#  - no cgroup settings at all: proctrack/linuxproc and task/none need none, and 22.05 rejects
#    CgroupPlugin=disabled;
#  - MpiDefault=none, or slurmd logs errors for the missing PMIx library.

SLURM_CLUSTER_ERROR=""
SLURM_PARTITION=repro
_slurm_pids=()
_slurm_state=""
_slurm_as_root=()

# How long (seconds) a daemon may take to come up before the start is given up.
: "${SLURM_START_TIMEOUT:=30}"

_slurm_fail() {
    SLURM_CLUSTER_ERROR=$1
    return 1
}

# The last meaningful line of a log file, for a one-line reason.
_slurm_log_tail() {
    [ -f "$1" ] && grep -v '^\s*$' "$1" | tail -n 1 || echo "(no log at $1)"
}

_slurm_port_free() {
    ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# The first port from $1 on that is free, with the next one free too.
_slurm_free_ports() {
    local p=$1
    while [ "$p" -lt $(($1 + 200)) ]; do
        if _slurm_port_free "$p" && _slurm_port_free $((p + 1)); then
            echo "$p"
            return 0
        fi
        p=$((p + 2))
    done
    return 1
}

# Waits up to $2 seconds for the command "${@:3}" to succeed; fails when process $1 has died meanwhile.
_slurm_wait_for() {
    local pid=$1 timeout=$2 deadline=$((SECONDS + $2))
    shift 2
    while ! "$@" >/dev/null 2>&1; do
        if ! _slurm_alive "$pid"; then return 2; fi
        if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
        sleep 0.2
    done
}

slurm_cluster_start() {
    local state=$1
    SLURM_CLUSTER_ERROR=""
    _slurm_state=$state
    _slurm_pids=()

    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            _slurm_as_root=(sudo -n)
        else
            _slurm_fail "slurmd and munged's user switch need root: not root and no password-less sudo"
            return 1
        fi
    fi
    # The daemons live in sbin, which a user's PATH often lacks.
    case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
    local tool
    for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo setpriv ss; do
        command -v "$tool" >/dev/null 2>&1 || { _slurm_fail "$tool not found (tools/slurm/install.sh installs Slurm and munge)"; return 1; }
    done
    id munge >/dev/null 2>&1 || { _slurm_fail "no munge user (the munge package creates it)"; return 1; }

    mkdir -p "$state/log" "$state/ctld" "$state/spool"
    chmod 755 "$state"
    local key_dir=$state/munge-key run_dir=$state/munge-run
    "${_slurm_as_root[@]}" install -d -o munge -g munge -m 700 "$key_dir"
    "${_slurm_as_root[@]}" install -d -o munge -g munge -m 755 "$run_dir"
    local socket=$run_dir/munge.socket
    if ! "${_slurm_as_root[@]}" setpriv --reuid=munge --regid=munge --init-groups \
            mungekey --create --keyfile="$key_dir/munge.key" >"$state/log/mungekey.out" 2>&1; then
        _slurm_fail "mungekey could not create a key: $(_slurm_log_tail "$state/log/mungekey.out")"
        return 1
    fi
    "${_slurm_as_root[@]}" setpriv --reuid=munge --regid=munge --init-groups \
        munged --foreground --socket="$socket" --key-file="$key_dir/munge.key" \
        --pid-file="$run_dir/munged.pid" --seed-file="$key_dir/munged.seed" \
        --log-file="$key_dir/munged.log" >"$state/log/munged.out" 2>&1 &
    _slurm_pids+=($!)
    if ! _slurm_wait_for $! "$SLURM_START_TIMEOUT" bash -c "munge -S '$socket' -n | unmunge -S '$socket'"; then
        _slurm_fail "munged did not start: $(_slurm_log_tail "$state/log/munged.out")"
        return 1
    fi

    local host ports cpus memory
    host=$(hostname -s)
    ports=$(_slurm_free_ports "${SLURM_PORT:-16817}") || { _slurm_fail "no two free local ports from ${SLURM_PORT:-16817}"; return 1; }
    # The node as slurmd measures it (CPUs=2 RealMemory=24105 here).
    cpus=$(slurmd -C | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' | head -n 1)
    memory=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -n 1)
    [ -n "$cpus" ] && [ -n "$memory" ] || { _slurm_fail "slurmd -C did not report CPUs and RealMemory: $(slurmd -C 2>&1 | head -n 1)"; return 1; }
    SLURM_JOBCOMP_LOG=$state/jobcomp.log
    cat >"$state/slurm.conf" <<EOF
# One-node test cluster written by tools/slurm/cluster.sh; every path under $state.
ClusterName=repro-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$ports
SlurmdPort=$((ports + 1))
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
JobCompType=jobcomp/filetxt
JobCompLoc=$SLURM_JOBCOMP_LOG
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=$SLURM_PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF=$state/slurm.conf SLURM_JOBCOMP_LOG

    "${_slurm_as_root[@]}" slurmctld -D -f "$SLURM_CONF" >"$state/log/slurmctld.out" 2>&1 &
    _slurm_pids+=($!)
    if ! _slurm_wait_for $! "$SLURM_START_TIMEOUT" scontrol ping; then
        _slurm_fail "slurmctld did not start: $(_slurm_log_tail "$state/log/slurmctld.log")"
        return 1
    fi
    "${_slurm_as_root[@]}" slurmd -D -N "$host" -f "$SLURM_CONF" >"$state/log/slurmd.out" 2>&1 &
    _slurm_pids+=($!)
    # The node is ready when the controller sees it idle.
    if ! _slurm_wait_for $! "$SLURM_START_TIMEOUT" bash -c "sinfo -h -n '$host' -o %T | grep -qx idle"; then
        _slurm_fail "slurmd did not register as an idle node: $(_slurm_log_tail "$state/log/slurmd.log")"
        return 1
    fi
}

_slurm_alive() {
    "${_slurm_as_root[@]}" kill -0 "$1" 2>/dev/null
}

slurm_cluster_stop() {
    [ ${#_slurm_pids[@]} -gt 0 ] || return 0
    local pid deadline
    if [ -n "${SLURM_CONF:-}" ] && scontrol ping >/dev/null 2>&1; then
        # Running jobs would outlive slurmd (their slurmstepd stays): cancel them and let them end.
        squeue -h -o %A 2>/dev/null | xargs -r scancel 2>/dev/null || true
        deadline=$((SECONDS + 30))
        while [ -n "$(squeue -h -o %A 2>/dev/null)" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
        scontrol shutdown >/dev/null 2>&1 || true
    fi
    # slurmd and slurmctld end on the shutdown; what has not ended in 10 s gets SIGTERM, then SIGKILL.
    # Reverse order: slurmd, slurmctld, then munged, which they authenticate through.
    deadline=$((SECONDS + 10))
    for ((i = ${#_slurm_pids[@]} - 1; i >= 1; i--)); do
        while _slurm_alive "${_slurm_pids[i]}" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    done
    for ((i = ${#_slurm_pids[@]} - 1; i >= 0; i--)); do
        pid=${_slurm_pids[i]}
        if _slurm_alive "$pid"; then
            "${_slurm_as_root[@]}" kill -TERM "$pid" 2>/dev/null || true
            deadline=$((SECONDS + 5))
            while _slurm_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
            _slurm_alive "$pid" && { "${_slurm_as_root[@]}" kill -KILL "$pid" 2>/dev/null || true; }
        fi
        wait "$pid" 2>/dev/null || true
    done
    _slurm_pids=()
}

slurm_job_record() {
    local id=$1 task=${2:-}
    [ -f "${SLURM_JOBCOMP_LOG:-}" ] || return 0
    if [ -n "$task" ]; then
        grep -E "(^| )ArrayJobId=$id " "$SLURM_JOBCOMP_LOG" | grep -E " ArrayTaskId=$task( |$)" | tail -n 1
    else
        grep -E "^JobId=$id " "$SLURM_JOBCOMP_LOG" | tail -n 1
    fi
}
