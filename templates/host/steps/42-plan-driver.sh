# Decide what the driver step has to do: skip, nothing, activate, install or upgrade.
plan_driver() {
  if $WSL; then plan_wsl_driver; return 0; fi
  if $SKIP_DRIVER; then
    DRIVER_PLAN=skip
    if [[ -z $RUNNING_DRIVER ]]; then
      warn "--skip-driver given but no NVIDIA driver is loaded; the final check will fail"
    elif ! version_ge "$RUNNING_DRIVER" "$MIN_DRIVER"; then
      warn "--skip-driver given but driver $RUNNING_DRIVER is older than the $MIN_DRIVER the stack needs"
    fi
    return 0
  fi
  find_driver_cap
  if [[ -n $DRIVER_CAP && -n $INSTALLED_DRIVER ]] && ((${INSTALLED_DRIVER%%.*} > DRIVER_CAP)); then
    DRIVER_PLAN=upgrade
  elif [[ -n $RUNNING_DRIVER ]] && version_ge "$RUNNING_DRIVER" "$MIN_DRIVER"; then
    DRIVER_PLAN=ready
  elif [[ -n $INSTALLED_DRIVER ]] && version_ge "$INSTALLED_DRIVER" "$MIN_DRIVER"; then
    DRIVER_PLAN=activate
  elif [[ -n $INSTALLED_DRIVER ]]; then
    DRIVER_PLAN=upgrade
  elif [[ -n $RUNNING_DRIVER ]]; then
    die "driver $RUNNING_DRIVER is loaded but was not installed from rpm packages, and the stack needs >= $MIN_DRIVER" \
      "Remove it first (for a .run install: nvidia-uninstall), reboot, and run this script again."
  else
    DRIVER_PLAN=install
  fi
  if [[ $DRIVER_PLAN == install || $DRIVER_PLAN == upgrade ]]; then
    choose_kernel_modules
    check_driver_source
    choose_driver_stream
  fi
}
