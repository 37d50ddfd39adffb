# Podman sees GPUs through CDI specifications only (its --gpus is accepted and ignored). Toolkit
# CDI_REFRESH_SINCE and later keep CDI_DYNAMIC_SPEC current with nvidia-cdi-refresh.path/.service
# (at boot and after driver or toolkit installs); for an older toolkit this script writes
# CDI_STATIC_SPEC and a unit of its own that regenerates it at every boot, where an updated driver loads.
connect_toolkit() {
  local toolkit
  toolkit=$(installed_version nvidia-container-toolkit)
  toolkit=${toolkit:-$TOOLKIT_VERSION} # a dry run on a fresh host: the version the step installs
  toolkit=${toolkit%%-*}
  if version_ge "$toolkit" "$CDI_REFRESH_SINCE"; then
    CDI_SPEC=$CDI_DYNAMIC_SPEC
    ok "toolkit $toolkit keeps $CDI_SPEC current itself (nvidia-cdi-refresh, since $CDI_REFRESH_SINCE)"
    enable_unit nvidia-cdi-refresh.path --now
    enable_unit nvidia-cdi-refresh.service
  else
    CDI_SPEC=$CDI_STATIC_SPEC
    install_own_cdi_unit
  fi
  refresh_cdi_spec "$CDI_SPEC"
  # A specification of the other kind left by an earlier run is kept current too: Podman reads both.
  local other
  for other in "$CDI_STATIC_SPEC" "$CDI_DYNAMIC_SPEC"; do
    if [[ $other != "$CDI_SPEC" && -f $other ]]; then refresh_cdi_spec "$other"; fi
  done
}

# enable_unit UNIT [--now]: enable a systemd unit (and start it with --now) unless it already is.
enable_unit() {
  if systemctl is-enabled --quiet "$1" 2>/dev/null && { [[ -z ${2:-} ]] || systemctl is-active --quiet "$1" 2>/dev/null; }; then
    ok "$1 is enabled"
  else
    run systemctl enable ${2:+"$2"} "$1"
  fi
}

# refresh_cdi_spec FILE: a specification is current when it names the loaded driver's libraries
# (libcuda.so.<version>); after a driver update it still names the old ones and is regenerated.
refresh_cdi_spec() {
  local spec=$1 driver
  driver=$(driver_version_running)
  if [[ -z $driver ]]; then
    $DRY_RUN || die "no NVIDIA driver is loaded, so no CDI specification can be generated" "Check: nvidia-smi; dkms status"
    run nvidia-ctk cdi generate "--output=$spec"
    return 0
  fi
  if [[ -f $spec ]] && grep -qF ".so.$driver" "$spec"; then
    ok "CDI specification $spec is current (driver $driver)"
    return 0
  fi
  if [[ -f $spec ]]; then log "$spec does not name the loaded driver $driver: it is stale and is regenerated"; fi
  run nvidia-ctk cdi generate "--output=$spec"
}
