# --- 7. Verification --------------------------------------------------------------------------
verify() {
  step "Verification"
  if $DRY_RUN; then
    run docker run --rm --gpus all "$VERIFY_IMAGE" nvidia-smi
    finish_dry_run
    return 0
  fi
  local host_cuda
  host_cuda=$(host_cuda_version)
  check_image_cuda "$host_cuda" 'nvidia/cuda'
  log "+ docker run --rm --gpus all $VERIFY_IMAGE nvidia-smi"
  local output rc=0
  output=$(docker run --rm --gpus all "$VERIFY_IMAGE" nvidia-smi 2>&1) || rc=$?
  printf '%s\n' "$output" | sed 's/^/      /'
  if ((rc != 0)); then
    die "a container could not use the GPU (docker run exited $rc)" \
      "Check on the host: nvidia-smi; docker info | grep -i runtimes; journalctl -u docker"
  fi
  check_fabric
  print_summary "$host_cuda"
}

# The engine's rows of the summary (print_summary).
engine_summary() {
  printf '  %-22s %s\n' "Docker" "$(docker --version 2>/dev/null || echo '?')"
}
