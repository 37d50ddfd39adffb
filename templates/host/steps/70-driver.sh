# --- 4. NVIDIA driver -------------------------------------------------------------------------
install_driver() {
  step "NVIDIA driver"
  case $DRIVER_PLAN in
    skip) ok "--skip-driver: driver left as it is"; return 0 ;;
    wsl) ok "WSL 2: the Windows driver $RUNNING_DRIVER serves the GPU; no Linux driver is installed in WSL"; return 0 ;;
    ready) ok "driver $RUNNING_DRIVER is loaded and meets the stack's floor $MIN_DRIVER"; blacklist_nouveau; return 0 ;;
    activate) log "driver $INSTALLED_DRIVER is installed but not loaded"; blacklist_nouveau; activate_driver false; return 0 ;;
  esac
  add_driver_repository
  if [[ $DRIVER_PLAN == upgrade ]]; then
    if version_ge "$INSTALLED_DRIVER" "$MIN_DRIVER"; then
      log "installed driver $INSTALLED_DRIVER is newer than R$DRIVER_CAP, the last branch for the $DRIVER_CAP_ARCHS GPU: switching to nvidia-driver:$DRIVER_STREAM"
    else
      log "installed driver $INSTALLED_DRIVER is older than the stack's floor $MIN_DRIVER: switching to nvidia-driver:$DRIVER_STREAM"
    fi
    run dnf -y module switch-to "nvidia-driver:$DRIVER_STREAM" --allowerasing
  else
    reset_driver_stream
  fi
  if [[ -n $DRIVER_META ]]; then
    [[ $DRIVER_PLAN == upgrade ]] || run dnf -y module enable "nvidia-driver:$DRIVER_STREAM"
    run dnf -y install "$DRIVER_META"
  elif [[ $DRIVER_PLAN != upgrade ]]; then
    run dnf -y module install "nvidia-driver:$DRIVER_STREAM"
  fi
  check_installed_driver
  blacklist_nouveau
  activate_driver true
}

add_driver_repository() {
  if [[ $DRIVER_SOURCE == network ]]; then
    add_cuda_network_repository
    return 0
  fi
  local name
  name=$(rpm -qp --qf '%{NAME}\n' "$DRIVER_RPM" 2>/dev/null | sed -n 1p || true)
  [[ -n $name ]] || die "rpm cannot read $DRIVER_RPM; the file is damaged or not an rpm"
  # The key comes first either way: the driver packages in the local repository are signed with it too.
  install_cuda_key "$CUDA_REPO_BASE/rhel$OL_MAJOR/$CUDA_REPO_ARCH/${CUDA_KEY_FINGERPRINT: -8}.pub"
  if is_installed "$name"; then
    ok "local repository $name is installed"
  else
    check_driver_rpm_signature
    run rpm --install "$DRIVER_RPM"
    run dnf clean all
  fi
}
