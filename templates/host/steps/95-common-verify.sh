# The end of a dry run's verification: what a real run would stop for.
finish_dry_run() {
  if [[ -n $REBOOT_PENDING ]]; then note "a real run would stop for a reboot: $REBOOT_PENDING"; fi
  printf '\nDry run finished: nothing was changed.\n'
}

# The check image's CUDA against the host driver's: $1 the host's CUDA version, $2 the pattern of
# this engine's name for the nvidia/cuda images (only their tags ask for a CUDA version, through
# NVIDIA_REQUIRE_CUDA; a plain OS image asks for none).
check_image_cuda() {
  local host_cuda=$1 image_cuda=""
  if [[ $VERIFY_IMAGE =~ ^$2:([0-9]+\.[0-9]+) ]]; then image_cuda=${BASH_REMATCH[1]}; fi
  if [[ -n $host_cuda && -n $image_cuda ]] && ! version_ge "$host_cuda" "$image_cuda"; then
    die "the check image $VERIFY_IMAGE needs CUDA $image_cuda, the host driver supports CUDA $host_cuda" \
      "Install a newer driver (run again with a newer --driver-rpm or --driver-source network)."
  fi
}

# What the host offers against what the stack needs; engine_summary (95-verify.*) adds the engine's rows.
print_summary() {
  local driver cuda=$1
  driver=$(driver_version_running)
  printf '\nThis host is ready for the generated stack.\n'
  printf '  %-22s %-28s %s\n' "" "host offers" "stack needs"
  printf '  %-22s %-28s %s\n' "NVIDIA driver" "${driver:-?}" ">= $MIN_DRIVER"
  printf '  %-22s %-28s %s\n' "CUDA (driver API)" "${cuda:-?}" "$STACK_CUDA"
  printf '  %-22s %-28s %s\n' "Container Toolkit" "$(installed_version nvidia-container-toolkit)" "$TOOLKIT_VERSION"
  engine_summary
  printf '  %-22s %s\n' "kernel" "$KREL ($KFLAVOUR)"
  printf '  %-22s %s\n' "stack" "$STACK"
  printf '  %-22s %s\n' "image" "$STACK_IMAGE"
  if [[ -n $driver ]] && ! version_ge "$driver" "$MIN_DRIVER"; then
    warn "driver $driver is older than the $MIN_DRIVER the stack needs; its GPU code may not run"
  fi
  if [[ -n $cuda ]] && ! version_ge "$cuda" "$STACK_CUDA"; then
    warn "the driver supports CUDA $cuda, the stack uses CUDA $STACK_CUDA"
  fi
}
