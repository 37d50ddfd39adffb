# --- 8. Verification --------------------------------------------------------------------------
verify() {
  step "Verification"
  local check=(podman run --rm --device "$CDI_DEVICE" "$VERIFY_IMAGE" nvidia-smi)
  if $DRY_RUN; then
    run "${check[@]}"
    verify_rootless
    finish_dry_run
    return 0
  fi
  local host_cuda
  host_cuda=$(host_cuda_version)
  check_image_cuda "$host_cuda" 'docker\.io/nvidia/cuda'
  log "+ ${check[*]}"
  local output rc=0
  output=$("${check[@]}" 2>&1) || rc=$?
  printf '%s\n' "$output" | sed 's/^/      /'
  if ((rc != 0)); then
    die "a container could not use the GPU (podman run exited $rc)" \
      "Check on the host: nvidia-smi; nvidia-ctk cdi list; getenforce; getsebool $SELINUX_BOOLEAN"
  fi
  check_fabric
  print_summary "$host_cuda"
  verify_rootless
}

# The engine's rows of the summary (print_summary).
engine_summary() {
  printf '  %-22s %s\n' "Podman" "$(podman --version 2>/dev/null || echo '?')"
  printf '  %-22s %s\n' "CDI specification" "$CDI_SPEC ($CDI_DEVICE)"
  printf '  %-22s %s\n' "SELinux" "$(getenforce 2>/dev/null || echo Disabled)"
}
