# --- NVIDIA Fabric Manager (NVSwitch boards) ----------------------------------------------------
# HGX/DGX boards whose GPUs meet in NVSwitch chips need nvidia-fabricmanager running at the driver's
# exact version; without it nvidia-smi works and every CUDA program fails with error 802.
nvswitch_lines() {
  local ids
  ids=$(IFS='|'; echo "${NVSWITCH_DEVICE_IDS[*]}")
  lspci -nn -d 10de: 2>/dev/null | grep -F "[$NVSWITCH_PCI_CLASS]" | grep -E "\[10de:($ids)\]|NVSwitch" || true
}

# The driver's version of fabric manager installed, enabled and running (nothing without NVSwitch).
install_fabric_manager() {
  if $WSL; then return 0; fi
  local switches driver pkg other installed
  switches=$(nvswitch_lines)
  [[ -n $switches ]] || return 0
  driver=${INSTALLED_DRIVER:-$RUNNING_DRIVER}
  [[ -n $driver ]] || return 0
  pkg=$FABRIC_MANAGER_PACKAGE_BEFORE
  if version_ge "${driver%%.*}" "$FABRIC_MANAGER_RENAMED_SINCE"; then pkg=$FABRIC_MANAGER_PACKAGE; fi
  ok "$(wc -l <<<"$switches") NVSwitch chip(s): this board needs $pkg $driver, service $FABRIC_MANAGER_SERVICE"
  installed=$(installed_version "$pkg")
  if [[ $DRIVER_PLAN == skip ]]; then
    if [[ ${installed%%-*} != "$driver" ]] || ! systemctl is-active --quiet "$FABRIC_MANAGER_SERVICE"; then
      warn "--skip-driver: NVSwitch found but $pkg $driver is not installed and running; CUDA fails with error 802 until it is. Run:" \
        "dnf -y install $pkg-$driver && systemctl enable --now $FABRIC_MANAGER_SERVICE"
    fi
    return 0
  fi
  if [[ ${installed%%-*} == "$driver" ]]; then
    ok "$pkg $driver is installed"
  else
    for other in "$FABRIC_MANAGER_PACKAGE" "$FABRIC_MANAGER_PACKAGE_BEFORE"; do
      if [[ $other != "$pkg" ]] && is_installed "$other"; then run dnf -y remove "$other"; fi
    done
    run dnf -y install "$pkg-$driver"
  fi
  if [[ -n $installed && ${installed%%-*} != "$driver" ]]; then
    run systemctl enable "$FABRIC_MANAGER_SERVICE"
    run systemctl restart "$FABRIC_MANAGER_SERVICE"
  elif systemctl is-enabled --quiet "$FABRIC_MANAGER_SERVICE" && systemctl is-active --quiet "$FABRIC_MANAGER_SERVICE"; then
    ok "$FABRIC_MANAGER_SERVICE is enabled and running"
  else
    run systemctl enable --now "$FABRIC_MANAGER_SERVICE"
  fi
}

# The final check: every GPU's fabric state (nvidia-smi -q) is Completed or N/A (no fabric); one
# still In Progress while the service runs gets a minute to finish.
check_fabric() {
  local bad tries=0
  while :; do
    bad=$(nvidia-smi -q 2>/dev/null | awk '/^ *Fabric *$/ { f = 1; next } f && /^ *State *:/ { sub(/^[^:]*: */, ""); print; f = 0 }' |
      grep -vxE "$FABRIC_STATE_READY|N/A" | sort | uniq -c | sed 's/^ *//' || true)
    [[ -n $bad ]] || return 0
    if [[ $bad != *"In Progress"* ]] || ((++tries > 30)) || ! systemctl is-active --quiet "$FABRIC_MANAGER_SERVICE"; then break; fi
    sleep 2
  done
  die "the NVLink fabric is not ready (GPUs by nvidia-smi -q fabric state: ${bad//$'\n'/, }); CUDA programs fail with error 802 (system not yet initialized) until it is" \
    "Check: systemctl status $FABRIC_MANAGER_SERVICE; journalctl -u $FABRIC_MANAGER_SERVICE; its version must be the driver's ($(driver_version_running))."
}
