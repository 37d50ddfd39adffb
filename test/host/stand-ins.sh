#!/bin/bash
# Stand-ins for the system commands the host bootstrap calls, used by sandbox.sh.
#
# One file, reached through symlinks named after each command (dnf, rpm, systemctl, …), with the
# shared helpers; each command's own code is in a part of stand-ins.d/ that only its calls read. Every
# call is appended to $SANDBOX/calls.log ($SANDBOX/$SANDBOX_CALLS when set). A test can hold a run
# at one call: state/pause_at holds the call's beginning, and the stand-in that makes that call
# waits (up to 30 s) for state/resume. State lives in $SANDBOX/state (a fake rpm database,
# loaded modules, services, the module stream) and in the sandbox's real-looking paths
# (/etc/yum.repos.d, /usr/src/kernels, /opt/rh, /etc/docker), so a second run sees what the
# first one did and "installs nothing" is a real assertion.
#
# A restricted network: each `blocked=HOST` setting makes that host unreachable (curl times out,
# dnf cannot download from a repository whose baseurl names it, docker cannot pull from Docker Hub
# without a registry mirror when HOST is registry-1.docker.io). Any other host answers: a mirror
# serves the same paths as the host it mirrors, and `mirror_key_fpr=` makes every key that does not
# come from the vendor's own host carry that fingerprint instead (a mirror serving another key).
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal
set -euo pipefail
shopt -s nullglob
: "${SANDBOX:?the stand-ins only run inside test/host/sandbox.sh}"
readonly STATE=$SANDBOX/state
readonly CMD=${0##*/}
readonly CALLS=$SANDBOX/${SANDBOX_CALLS:-calls.log}
printf '%s\n' "$CMD${*:+ $*}" >>"$CALLS"

if [[ -f $STATE/pause_at && "$CMD${*:+ $*}" == "$(cat "$STATE/pause_at")"* ]]; then
  rm -f "$STATE/pause_at"
  : >"$STATE/paused"
  for _ in $(seq 300); do
    [[ ! -e $STATE/resume ]] || break
    sleep 0.1
  done
  rm -f "$STATE/paused" "$STATE/resume"
fi

fail() { printf '%s\n' "$@" >&2; exit 1; }
unsupported() { printf 'stand-in %s: unsupported arguments: %s\n' "$CMD" "$*" >&2; exit 99; }

# --- Scenario settings and flags --------------------------------------------------------------
# Read once per call into arrays: a lookup through sed forked two processes, and a run of the
# bootstrap makes a few hundred lookups. setting KEY: the last value; settings_all KEY: every one.
SETTING_LINES=()
declare -A SETTING=()
while IFS= read -r line || [[ -n $line ]]; do
  SETTING_LINES+=("$line")
  [[ $line != *=* ]] || SETTING[${line%%=*}]=${line#*=}
done <"$STATE/settings"
setting() { [[ -z ${SETTING[$1]+set} ]] || printf '%s\n' "${SETTING[$1]}"; }
settings_all() {
  local line
  for line in "${SETTING_LINES[@]}"; do [[ $line != "$1="* ]] || printf '%s\n' "${line#"$1="}"; done
}
flag() { [[ -e $STATE/$1 ]]; }
running_kernel() { setting kernel; }

# --- Fake rpm database: "name version release arch" per line ----------------------------------
# In bash, without forks: a fork is most of what a stand-in costs, and a run makes a few hundred.
# db_lookup QUERY: the first line matching a name, name-version, NVR or NVRA, into DB_NAME,
# DB_VERSION, DB_RELEASE and DB_ARCH; false when none does.
db_lookup() {
  local name version release arch
  while read -r name version release arch; do
    case $1 in
      "$name" | "$name-$version" | "$name-$version-$release" | "$name-$version-$release.$arch")
        DB_NAME=$name DB_VERSION=$version DB_RELEASE=$release DB_ARCH=$arch
        return 0
        ;;
    esac
  done <"$STATE/rpmdb"
  return 1
}
db_find() { if db_lookup "$1"; then printf '%s %s %s %s\n' "$DB_NAME" "$DB_VERSION" "$DB_RELEASE" "$DB_ARCH"; fi; }
db_has() { db_lookup "$1"; }
db_version() { if db_lookup "$1"; then printf '%s\n' "$DB_VERSION"; fi; }
db_del() {
  local line keep=()
  while IFS= read -r line || [[ -n $line ]]; do [[ ${line%% *} == "$1" ]] || keep+=("$line"); done <"$STATE/rpmdb"
  printf '%s' "${keep[@]/%/$'\n'}" >"$STATE/rpmdb"
}
db_add() { db_del "$1"; printf '%s %s %s %s\n' "$1" "$2" "$3" "${4:-${SETTING[arch]}}" >>"$STATE/rpmdb"; }

# --- The network ------------------------------------------------------------------------------
url_host() { if [[ $1 =~ ^[a-z]+://([^/:]*) ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; else printf '%s\n' "$1"; fi; }
blocked() {
  local line
  for line in "${SETTING_LINES[@]}"; do [[ $line != "blocked=$1" ]] || return 0; done
  return 1
}

version_ge() { [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | sed -n 1p)" == "$2" ]]; }

# --- Services, modules, GPU -------------------------------------------------------------------
service_state() {
  local name rest
  while read -r name rest; do [[ $name != "$1" ]] || printf '%s\n' "$rest"; done <"$STATE/services"
}

cuda_for_driver() {
  case ${1%%.*} in
    47?) echo 11.4 ;; 53?) echo 12.2 ;; 5[5-6]?) echo 12.4 ;; 57?) echo 12.8 ;; 58? | 59?) echo 13.0 ;; *) echo 12.0 ;;
  esac
}

stand_in_nvidia_smi() {
  if [[ ${SETTING[wsl]-} != 1 ]] && ! db_has nvidia-driver; then echo "bash: nvidia-smi: command not found" >&2; exit 127; fi
  if [[ ! -s $STATE/loaded_driver ]]; then
    echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
    exit 9
  fi
  local driver
  driver=$(cat "$STATE/loaded_driver")
  if [[ ${1:-} == -L ]]; then
    settings_all gpu | awk '{ printf "GPU %d: %s\n", NR - 1, $0 }'
    return 0
  fi
  # -q: each GPU's fabric state; an NVSwitch board's fabric is up once fabric manager of the
  # loaded driver's version runs (fabric_state= forces one), a board without NVSwitch has none.
  if [[ ${1:-} == -q ]]; then
    local state=N/A fm
    fm=$(db_find nvidia-fabricmanager; db_find nvidia-fabric-manager)
    if [[ -n ${SETTING[nvswitch]-} ]]; then
      state="In Progress"
      if [[ $(awk '{ print $2 }' <<<"$fm") == "$driver" && $(service_state nvidia-fabricmanager) == *" active" ]]; then state=Completed; fi
    fi
    if [[ -n ${SETTING[fabric_state]-} ]]; then state=${SETTING[fabric_state]-}; fi
    settings_all gpu | while read -r _; do printf 'GPU 00000000:18:00.0\n    Fabric\n        State                             : %s\n        Status                            : N/A\n' "$state"; done
    return 0
  fi
  if [[ ${1:-} == --query-gpu=driver_version ]]; then
    settings_all gpu | while read -r _; do echo "$driver"; done
    return 0
  fi
  echo "| NVIDIA-SMI $driver    Driver Version: $driver    CUDA Version: $(cuda_for_driver "$driver") |"
  settings_all gpu | sed 's/^/|  GPU: /'
}

# Each command's stand-in is in stand-ins.d/, read only when that command is called: bash parses
# all it reads, and a sandbox run makes a few hundred of these calls.
readonly PARTS=${STAND_INS_DIR:-$(dirname "$(readlink -f "$0")")/stand-ins.d}
# shellcheck disable=SC1090,SC1091 # each part is checked on its own (test/host/harness.test.ts)
case $CMD in
  dnf) source "$PARTS/dnf.sh"; stand_in_dnf "$@" ;;
  rpm) source "$PARTS/rpm.sh"; stand_in_rpm "$@" ;;
  systemctl) source "$PARTS/services.sh"; stand_in_systemctl "$@" ;;
  nvidia-smi) source "$PARTS/services.sh"; stand_in_nvidia_smi "$@" ;;
  modprobe) source "$PARTS/services.sh"; stand_in_modprobe "$@" ;;
  lsmod) source "$PARTS/services.sh"; stand_in_lsmod "$@" ;;
  docker) source "$PARTS/engines.sh"; stand_in_docker "$@" ;;
  nvidia-ctk) source "$PARTS/engines.sh"; stand_in_nvidia_ctk "$@" ;;
  curl) source "$PARTS/network.sh"; stand_in_curl "$@" ;;
  gpg) source "$PARTS/network.sh"; stand_in_gpg "$@" ;;
  uname) source "$PARTS/facts.sh"; stand_in_uname "$@" ;;
  lspci) source "$PARTS/facts.sh"; stand_in_lspci "$@" ;;
  mokutil) source "$PARTS/facts.sh"; stand_in_mokutil "$@" ;;
  dkms) source "$PARTS/facts.sh"; stand_in_dkms "$@" ;;
  gcc) source "$PARTS/facts.sh"; stand_in_gcc "$@" ;;
  grubby) source "$PARTS/facts.sh"; stand_in_grubby "$@" ;;
  getconf) [[ ${1:-} == PAGESIZE ]] || unsupported "$@"; setting page_size ;;
  podman) source "$PARTS/engines.sh"; stand_in_podman "$@" ;;
  podman-compose) echo "podman-compose version 1.0.6" ;;
  getenforce) source "$PARTS/engines.sh"; stand_in_getenforce ;;
  getsebool) source "$PARTS/engines.sh"; stand_in_getsebool "$@" ;;
  setsebool) source "$PARTS/engines.sh"; stand_in_setsebool "$@" ;;
  getent) source "$PARTS/engines.sh"; stand_in_getent "$@" ;;
  usermod) source "$PARTS/engines.sh"; stand_in_usermod "$@" ;;
  runuser) source "$PARTS/engines.sh"; stand_in_runuser "$@" ;;
  *)
    # A command that must never run on the machine the tests run on.
    printf 'TRIPWIRE: %s %s was called inside the sandbox\n' "$CMD" "$*" | tee -a "$CALLS" >&2
    exit 99
    ;;
esac
