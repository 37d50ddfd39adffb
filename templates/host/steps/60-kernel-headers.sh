# --- 3. Kernel headers and toolchain ----------------------------------------------------------
install_kernel_headers() {
  step "Kernel headers and toolchain"
  if [[ $DRIVER_PLAN == skip ]]; then ok "driver skipped: no kernel headers needed"; return 0; fi
  if [[ $DRIVER_PLAN == wsl ]]; then ok "WSL 2: no driver to build, so no kernel headers needed"; return 0; fi
  local wanted=() check=()
  if [[ $KFLAVOUR == UEK ]]; then
    wanted=("kernel-uek-devel-$KREL" kernel-headers)
    check=("${wanted[@]}")
  elif [[ $OL_MAJOR == 8 ]]; then
    wanted=("kernel-devel-$KREL" kernel-headers)
    check=("${wanted[@]}")
  else
    wanted=(kernel-devel-matched kernel-headers)
    check=("kernel-devel-$KREL" kernel-headers)
  fi
  # DKMS (from EPEL) builds the driver; installing it here lets it be configured before the build.
  wanted+=(dkms)
  check+=(dkms)
  local missing
  missing=$(missing_packages "${check[@]}")
  if [[ -z $missing ]]; then
    ok "installed: ${check[*]}"
  else
    run dnf -y install "${wanted[@]}"
  fi
  if ! $DRY_RUN && [[ ! -d /usr/src/kernels/$KREL ]]; then
    die "kernel headers for the running kernel are missing (/usr/src/kernels/$KREL)" \
      "Is $KREL still available from the enabled repositories? Updating the kernel and rebooting also fixes this."
  fi
  if [[ $KFLAVOUR == UEK ]]; then configure_uek_compiler; fi
}
