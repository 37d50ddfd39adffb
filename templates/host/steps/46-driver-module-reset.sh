# dnf refuses to enable one stream of a module while another is enabled ("It is not possible to
# switch enabled streams of a module unless explicitly enabled via configuration option
# module_stream_switch"), as after a run that stopped once it had enabled open-dkms, or one for
# another branch. With no driver installed (DRIVER_PLAN install) nothing is installed from that
# stream, so the module is reset first; an installed driver moves with `dnf module switch-to`.
enabled_driver_stream() {
  local out
  out=$(dnf -q module list --enabled nvidia-driver 2>/dev/null) || return 0
  awk '$1 == "nvidia-driver" { print $2; exit }' <<<"$out"
}

reset_driver_stream() {
  local current
  current=$(enabled_driver_stream)
  [[ -n $current && $current != "$DRIVER_STREAM" ]] || return 0
  log "nvidia-driver:$current is enabled (from an earlier run) and no driver is installed from it: resetting the module first"
  run dnf -y module reset nvidia-driver
}
