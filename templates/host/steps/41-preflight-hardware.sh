detect_gpus() {
  if $WSL; then detect_wsl_gpus; return 0; fi
  command -v lspci >/dev/null 2>&1 || die "lspci is not installed; install it with: dnf -y install pciutils"
  GPU_LINES=$(lspci -nn -d 10de: 2>/dev/null | grep -E '\[030[02]\]' || true)
  [[ -n $GPU_LINES ]] || die "no NVIDIA GPU found (lspci -nn -d 10de: lists no display or 3D controller)"
  local line
  while IFS= read -r line; do ok "GPU: $line"; done <<<"$GPU_LINES"
}

detect_secure_boot() {
  if $WSL; then return 0; fi
  local state
  state=$(mokutil --sb-state 2>/dev/null || true)
  case $state in
    *"SecureBoot enabled"*)
      SECURE_BOOT=enabled
      warn "Secure Boot is enabled: the DKMS-built NVIDIA modules load only when signed by a key in the MOK list."
      log "DKMS signs them with $DKMS_MOK_CERT. After the driver is installed, enrol that key once:"
      log "  mokutil --import $DKMS_MOK_CERT   (choose a one-time password)"
      log "then reboot and confirm the enrolment in the MOK manager on the console."
      ;;
    *"SecureBoot disabled"*) SECURE_BOOT=disabled; ok "Secure Boot is disabled" ;;
    *) SECURE_BOOT=unknown; ok "Secure Boot state unknown (no EFI or no mokutil); assuming off" ;;
  esac
}

detect_driver() {
  RUNNING_DRIVER=$(driver_version_running)
  INSTALLED_DRIVER=$(installed_version nvidia-driver)
  INSTALLED_DRIVER=${INSTALLED_DRIVER%%-*}
  if [[ -n $RUNNING_DRIVER ]]; then
    log "NVIDIA driver $RUNNING_DRIVER is loaded; the stack needs >= $MIN_DRIVER"
  elif [[ -n $INSTALLED_DRIVER ]]; then
    log "NVIDIA driver $INSTALLED_DRIVER is installed but not loaded; the stack needs >= $MIN_DRIVER"
  else
    log "no NVIDIA driver installed; the stack needs >= $MIN_DRIVER"
  fi
}
