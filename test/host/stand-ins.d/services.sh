# shellcheck shell=bash
# Stand-ins for systemctl, modprobe, lsmod and nvidia-smi: services, kernel modules and the GPU.
# Sourced by test/host/stand-ins.sh for these commands only, after its shared helpers.
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal

service_set() {
  local line keep=()
  while IFS= read -r line || [[ -n $line ]]; do [[ ${line%% *} == "$1" ]] || keep+=("$line"); done <"$STATE/services"
  printf '%s' "${keep[@]/%/$'\n'}" >"$STATE/services"
  printf '%s %s %s\n' "$1" "$2" "$3" >>"$STATE/services"
}

# The units a package or a written unit file brings: Docker's, the toolkit's nvidia-cdi-refresh
# (1.18.0 and later), and any unit file in /etc/systemd/system.
unit_known() {
  case $1 in
    docker) db_has docker-ce ;;
    nvidia-fabricmanager) db_has nvidia-fabricmanager || db_has nvidia-fabric-manager ;;
    nvidia-cdi-refresh | nvidia-cdi-refresh.path) db_has nvidia-container-toolkit && version_ge "$(db_version nvidia-container-toolkit)" 1.18.0 ;;
    *) [[ -f /etc/systemd/system/$1.service ]] ;;
  esac
}

stand_in_systemctl() {
  local verb=$1 unit enabled active
  shift
  [[ ${1:-} == --quiet ]] && shift
  [[ ${1:-} == --now ]] && { verb="$verb-now"; shift; }
  [[ $verb != daemon-reload ]] || return 0
  unit=${1%.service}
  read -r enabled active <<<"$(service_state "$unit")"
  case $verb in
    is-enabled) [[ $enabled == enabled ]] ;;
    is-active) [[ $active == active ]] ;;
    enable | enable-now | start | restart)
      unit_known "$unit" || fail "Failed to $verb $unit.service: Unit $unit.service not found."
      [[ $verb == enable* ]] && enabled=enabled
      [[ $verb == enable ]] || active=active
      service_set "$unit" "${enabled:-disabled}" "${active:-inactive}"
      ;;
    *) unsupported "$verb" "$@" ;;
  esac
}

stand_in_modprobe() {
  [[ ${1:-} == nvidia ]] || unsupported "$@"
  db_has kmod-nvidia-open-dkms || db_has kmod-nvidia-latest-dkms || fail "modprobe: FATAL: Module nvidia not found in directory /lib/modules/${SETTING[kernel]-}"
  [[ "$(cat "$STATE/dkms_built" 2>/dev/null)" == "${SETTING[kernel]-}" ]] || fail "modprobe: FATAL: Module nvidia not found in directory /lib/modules/${SETTING[kernel]-}"
  flag nouveau_loaded && fail "modprobe: ERROR: could not insert 'nvidia': No such device"
  # NVIDIA's R580 is the last branch for Maxwell, Pascal and Volta (matrix/platform.yaml): a newer one finds no device it drives.
  if (($(db_version nvidia-driver | cut -d. -f1) > 580)) && settings_all gpu | grep -qE '\b(GM|GP|GV)[0-9]{3}'; then
    fail "modprobe: ERROR: could not insert 'nvidia': No such device"
  fi
  if [[ ${SETTING[secure_boot]-} == enabled ]] && ! flag mok_enrolled; then fail "modprobe: ERROR: could not insert 'nvidia': Key was rejected by service"; fi
  db_version nvidia-driver >"$STATE/loaded_driver"
}

stand_in_lsmod() {
  echo "Module                  Size  Used by"
  if flag nouveau_loaded; then echo "nouveau              2433024  0"; fi
  if [[ -s $STATE/loaded_driver ]]; then echo "nvidia              9719808  0"; fi
}
