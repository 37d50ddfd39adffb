# --- 8. Verification --------------------------------------------------------------------------
verify() {
  step "Verification"
  local check=(podman run --rm --device "$CDI_DEVICE" "$VERIFY_IMAGE" nvidia-smi)
  if $DRY_RUN; then
    run "${check[@]}"
    verify_rootless
    if [[ -n $REBOOT_PENDING ]]; then note "a real run would stop for a reboot: $REBOOT_PENDING"; fi
    printf '\nDry run finished: nothing was changed.\n'
    return 0
  fi
  local host_cuda image_cuda=""
  host_cuda=$(host_cuda_version)
  # Only nvidia/cuda tags ask for a CUDA version (NVIDIA_REQUIRE_CUDA); a plain OS image asks for none.
  if [[ $VERIFY_IMAGE =~ ^docker\.io/nvidia/cuda:([0-9]+\.[0-9]+) ]]; then image_cuda=${BASH_REMATCH[1]}; fi
  if [[ -n $host_cuda && -n $image_cuda ]] && ! version_ge "$host_cuda" "$image_cuda"; then
    die "the check image $VERIFY_IMAGE needs CUDA $image_cuda, the host driver supports CUDA $host_cuda" \
      "Install a newer driver (run again with a newer --driver-rpm or --driver-source network)."
  fi
  log "+ ${check[*]}"
  local output rc=0
  output=$("${check[@]}" 2>&1) || rc=$?
  printf '%s\n' "$output" | sed 's/^/      /'
  if ((rc != 0)); then
    die "a container could not use the GPU (podman run exited $rc)" \
      "Check on the host: nvidia-smi; nvidia-ctk cdi list; getenforce; getsebool $SELINUX_BOOLEAN"
  fi
  print_summary "$host_cuda"
  verify_rootless
}

print_summary() {
  local driver cuda=$1
  driver=$(driver_version_running)
  printf '\nThis host is ready for the generated stack.\n'
  printf '  %-22s %-28s %s\n' "" "host offers" "stack needs"
  printf '  %-22s %-28s %s\n' "NVIDIA driver" "${driver:-?}" ">= $MIN_DRIVER"
  printf '  %-22s %-28s %s\n' "CUDA (driver API)" "${cuda:-?}" "$STACK_CUDA"
  printf '  %-22s %-28s %s\n' "Container Toolkit" "$(installed_version nvidia-container-toolkit)" "$TOOLKIT_VERSION"
  printf '  %-22s %s\n' "Podman" "$(podman --version 2>/dev/null || echo '?')"
  printf '  %-22s %s\n' "CDI specification" "$CDI_SPEC ($CDI_DEVICE)"
  printf '  %-22s %s\n' "SELinux" "$(getenforce 2>/dev/null || echo Disabled)"
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
