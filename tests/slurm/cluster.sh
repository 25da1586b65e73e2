# A single-node Slurm cluster in a temporary folder, for tests. Source it, then
#   slurm_start DIR     starts munged (if none runs), slurmctld and slurmd; exports SLURM_CONF
#   slurm_stop          stops every daemon it started, by PID
#   slurm_wait JOBID... waits (bounded) until the jobs have left the queue
# slurm_start returns 77 (skip) with a message when the packages are missing
# (scripts/install-deps.sh --slurm installs them; scripts/test.sh does), or the
# daemons do not come up.
SLURM_PIDS=()

slurm_skip() { echo "SKIP: $*"; return 77; }

slurm_installed() {
  local p
  for p in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 1
  done
}

slurm_start() {
  local dir=$1
  [ "$(id -u)" -eq 0 ] || { slurm_skip "the Slurm test runs daemons as root"; return 77; }
  slurm_installed || { slurm_skip "slurmctld slurmd slurm-client munge are not installed (scripts/install-deps.sh --slurm)"; return 77; }
  mkdir -p "$dir"/{state,spool,log}
  # munge: the key from the package, its run/log/lib folders owned by munge.
  if ! pgrep -x munged >/dev/null; then
    [ -s /etc/munge/munge.key ] || { mungekey --create >/dev/null 2>&1 || create-munge-key >/dev/null 2>&1; }
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge /etc/munge/munge.key
    chmod 0755 /run/munge
    runuser -u munge -- /usr/sbin/munged --force || { slurm_skip "munged does not start"; return 77; }
    SLURM_PIDS+=("$(cat /run/munge/munged.pid)")
  fi
  local host cpus memory
  host=$(hostname -s)
  cpus=$(nproc)
  memory=$(( $(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024 - 1024 ))
  cat >"$dir/slurm.conf" <<CONF
ClusterName=daftest
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$(( 16817 + RANDOM % 1000 ))
SlurmdPort=$(( 17818 + RANDOM % 1000 ))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$dir/slurm.conf
  /usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 &
  SLURM_PIDS+=($!)
  /usr/sbin/slurmd -D -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 &
  SLURM_PIDS+=($!)
  local i
  for i in $(seq 1 60); do
    if sinfo -h -o %T 2>/dev/null | grep -qE "^idle"; then return 0; fi
    sleep 0.5
  done
  echo "--- slurmctld log" >&2; tail -20 "$dir/log/slurmctld.log" "$dir/log/slurmctld.out" >&2 2>/dev/null
  echo "--- slurmd log" >&2; tail -20 "$dir/log/slurmd.log" "$dir/log/slurmd.out" >&2 2>/dev/null
  slurm_stop
  slurm_skip "slurmctld/slurmd did not come up within 30 s (logs above)"
  return 77
}

slurm_stop() {
  local pid
  for pid in "${SLURM_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SLURM_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  SLURM_PIDS=()
}

# slurm_wait SECONDS JOBID...: true when every job left the queue in time.
slurm_wait() {
  local limit=$1; shift
  local ids; ids=$(IFS=,; echo "$*")
  local deadline=$(( $(date +%s) + limit ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ -z "$(squeue -h -j "$ids" 2>/dev/null)" ] && return 0
    sleep 0.5
  done
  return 1
}
