# shellcheck shell=bash
# Stand-ins for docker, nvidia-ctk, podman and podman-compose, SELinux, users and runuser.
# Sourced by test/host/stand-ins.sh for these commands only, after its shared helpers.
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal

stand_in_docker() {
  case ${1:-} in
    --version) echo "Docker version 28.3.3, build 980b856"; return 0 ;;
    version)
      # docker_desktop=1: the engine of Docker Desktop's WSL integration answers.
      [[ $# == 1 ]] || unsupported "$@"
      printf 'Client:\n Version:           28.3.3\n Context:           default\n\n'
      if [[ ${SETTING[docker_desktop]-} == 1 ]]; then printf 'Server: Docker Desktop 4.45.0 (203075)\n Engine:\n  Version:          28.3.3\n'; return 0; fi
      local state
      read -r _ state <<<"$(service_state docker)"
      [[ $state == active ]] || fail "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
      printf 'Server: Docker Engine - Community\n Engine:\n  Version:          28.3.3\n'
      return 0
      ;;
    run) ;;
    *) unsupported "$@" ;;
  esac
  local active
  read -r _ active <<<"$(service_state docker)"
  [[ $active == active ]] || fail "docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
  if ! grep -qs '"nvidia"' /etc/docker/daemon.json || ! db_has nvidia-container-toolkit; then
    echo 'docker: Error response from daemon: could not select device driver "" with capabilities: [[gpu]].' >&2
    exit 125
  fi
  if blocked registry-1.docker.io && ! grep -qs '"registry-mirrors"' /etc/docker/daemon.json; then
    echo 'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers).' >&2
    exit 125
  fi
  [[ -s $STATE/loaded_driver ]] || { echo "nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown" >&2; exit 125; }
  [[ " $* " == *" --gpus all "* ]] || unsupported "$@"
  stand_in_nvidia_smi
}

stand_in_nvidia_ctk() {
  case "$*" in
    --version) echo "NVIDIA Container Toolkit CLI version $(db_version nvidia-container-toolkit)" ;;
    "runtime configure --runtime=docker")
      db_has nvidia-container-toolkit || fail "bash: nvidia-ctk: command not found"
      mkdir -p /etc/docker
      # Like the real one: the runtime is added, every other key the file has is kept.
      python3 - /etc/docker/daemon.json <<'PY'
import json, os, sys
path = sys.argv[1]
config = json.load(open(path)) if os.path.exists(path) and open(path).read().strip() else {}
config.setdefault("runtimes", {})["nvidia"] = {"args": [], "path": "nvidia-container-runtime"}
open(path, "w").write(json.dumps(config, indent=4) + "\n")
PY
      echo "INFO Wrote updated config to /etc/docker/daemon.json"
      ;;
    "cdi generate --output="*)
      db_has nvidia-container-toolkit || fail "bash: nvidia-ctk: command not found"
      [[ -s $STATE/loaded_driver ]] || fail 'level=error msg="failed to generate CDI spec: failed to create device CDI specs: failed to initialize NVML: ERROR_LIBRARY_NOT_FOUND"'
      local out=${3#--output=}
      mkdir -p "${out%/*}"
      printf 'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n- name: all\ncontainerEdits:\n  mounts:\n  - hostPath: /usr/lib64/libcuda.so.%s\n' "$(cat "$STATE/loaded_driver")" >"$out"
      echo "INFO Generated CDI spec with version 0.5.0"
      ;;
    *) unsupported "$@" ;;
  esac
}

# --- Podman, SELinux, users -------------------------------------------------------------------
selinux_mode() { local m; m=${SETTING[selinux]-}; echo "${m:-Enforcing}"; }
sebool_state() {
  local name state
  while read -r name state _; do [[ $name != "$1" ]] || printf '%s\n' "$state"; done <"$STATE/sebool"
}

# podman run --rm --device nvidia.com/gpu=all IMAGE nvidia-smi, as Podman would fail it: a short
# image name (short-name-mode enforcing, no TTY), no CDI spec, a spec for another driver (the
# newest folder wins: /var/run/cdi over /etc/cdi), SELinux enforcing without container_use_devices.
stand_in_podman() {
  db_has podman || { echo "bash: podman: command not found" >&2; exit 127; }
  case ${1:-} in
    --version) echo "podman version $(db_version podman)"; return 0 ;;
    run) ;;
    *) unsupported "$@" ;;
  esac
  [[ "$*" =~ ^run\ --rm\ --device\ nvidia\.com/gpu=all\ ([^ ]+)\ nvidia-smi(\ -L)?$ ]] || unsupported "$@"
  local image=${BASH_REMATCH[1]} list=${BASH_REMATCH[2]} spec="" f
  [[ ${image%%/*} == *.* ]] || fail "Error: short-name resolution enforced but cannot prompt without a TTY"
  # Docker Hub unreachable: the pull works only through a docker.io mirror in a registries.conf drop-in.
  if [[ $image == docker.io/* ]] && blocked registry-1.docker.io &&
    ! cat /etc/containers/registries.conf.d/*.conf 2>/dev/null | grep -q '^\[\[registry\.mirror\]\]'; then
    fail "Error: initializing source docker://$image: pinging container registry registry-1.docker.io: Get \"https://registry-1.docker.io/v2/\": dial tcp: i/o timeout"
  fi
  for f in /etc/cdi/*.yaml /var/run/cdi/*.yaml; do
    if grep -q '^kind: nvidia.com/gpu$' "$f"; then spec=$f; fi
  done
  [[ -n $spec ]] || fail "Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all"
  [[ -s $STATE/loaded_driver ]] || fail "Error: setting up CDI devices: failed to inject devices: no NVIDIA driver"
  local driver
  driver=$(cat "$STATE/loaded_driver")
  grep -qF ".so.$driver" "$spec" || fail "Error: crun: cannot stat \`$(sed -n 's/.*hostPath: //p' "$spec" | sed -n 1p)\`: No such file or directory: OCI runtime attempted to invoke a command that was not found"
  if [[ $(selinux_mode) == Enforcing && $(sebool_state container_use_devices) != on ]]; then
    echo "Failed to initialize NVML: Insufficient Permissions"
    exit 9
  fi
  if [[ -n ${STAND_IN_RUNUSER:-} ]]; then rootless_podman "$STAND_IN_RUNUSER"; fi
  stand_in_nvidia_smi ${list:+-L}
}

# Rootless Podman needs the user's subordinate ids; `rootless_error=TEXT` makes it fail with TEXT
# (whatever a real host's user session may lack), and the environment runuser passes is recorded.
rootless_podman() {
  printf '%s\n' "XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-} DBUS_SESSION_BUS_ADDRESS=${DBUS_SESSION_BUS_ADDRESS:-} PWD=$PWD" >"$STATE/rootless_env"
  grep -qs "^$1:" /etc/subuid || fail "Error: cannot find UID/GID for user $1: no subuid ranges found for user \"$1\" in /etc/subuid"
  if [[ -n ${SETTING[rootless_error]-} ]]; then fail "${SETTING[rootless_error]-}"; fi
}

# runuser -u USER -- COMMAND...: runs COMMAND as USER (only the scenario's sudo user exists).
stand_in_runuser() {
  [[ ${1:-} == -u && ${3:-} == -- && $# -gt 3 ]] || unsupported "$@"
  [[ $2 == "${SETTING[sudo_user]-}" ]] || fail "runuser: user $2 does not exist or the user entry does not contain all the required fields"
  local user=$2
  shift 3
  STAND_IN_RUNUSER=$user exec "$@"
}

stand_in_getenforce() { selinux_mode; }

stand_in_getsebool() {
  [[ $(selinux_mode) != Disabled ]] || fail "getsebool:  SELinux is disabled"
  local state
  state=$(sebool_state "$1")
  [[ -n $state ]] || fail "Error getting active value for $1"
  echo "$1 --> $state"
}

stand_in_setsebool() {
  [[ ${1:-} == -P && ${3:-} == on ]] || unsupported "$@"
  [[ -n $(sebool_state "$2") ]] || fail "Could not change boolean $2"
  local name state lines=()
  while read -r name state; do
    if [[ $name == "$2" ]]; then state=on; fi
    lines+=("$name $state")
  done <"$STATE/sebool"
  printf '%s\n' "${lines[@]}" >"$STATE/sebool"
}

stand_in_getent() {
  [[ ${1:-} == passwd && -n ${2:-} && $2 == "${SETTING[sudo_user]-}" ]] || exit 2
  echo "$2:x:1000:1000::/home/$2:/bin/bash"
}

stand_in_usermod() {
  local user=${*: -1} range file
  while (($# > 1)); do
    case $1 in
      --add-subuids) file=/etc/subuid ;;
      --add-subgids) file=/etc/subgid ;;
      *) unsupported "$@" ;;
    esac
    range=$2
    printf '%s:%s:%s\n' "$user" "${range%-*}" "$((${range#*-} - ${range%-*} + 1))" >>"$file"
    shift 2
  done
}
