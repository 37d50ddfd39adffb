# The driver options, which exclude each other in these ways (both engines).
check_driver_options() {
  [[ $DRIVER_SOURCE == local || $DRIVER_SOURCE == network ]] || usage_error "--driver-source must be local or network, not '$DRIVER_SOURCE'"
  [[ -z $KERNEL_MODULES || $KERNEL_MODULES == open || $KERNEL_MODULES == proprietary ]] ||
    usage_error "--kernel-modules must be open or proprietary, not '$KERNEL_MODULES'"
  [[ -z $DRIVER_RPM_SHA256 || $DRIVER_RPM_SHA256 =~ ^[0-9a-fA-F]{64}$ ]] || usage_error "--driver-rpm-sha256 must be 64 hexadecimal digits"
  [[ -z $DRIVER_BRANCH || $DRIVER_BRANCH =~ ^[0-9]{3}$ ]] || usage_error "--driver-branch must be a branch number such as $LONG_TERM_BRANCH"
  if [[ $DRIVER_SOURCE == network && -n $DRIVER_RPM ]]; then usage_error "--driver-rpm and --driver-source network exclude each other"; fi
  if [[ $DRIVER_SOURCE == local && -n $DRIVER_BRANCH ]]; then usage_error "--driver-branch applies to --driver-source network; the local rpm fixes the branch"; fi
  if $SKIP_DRIVER && [[ -n $DRIVER_RPM || $DRIVER_SOURCE == network || -n $KERNEL_MODULES ]]; then
    usage_error "--skip-driver excludes the other driver options"
  fi
  if [[ -n $DRIVER_RPM_SHA256 && -z $DRIVER_RPM ]]; then usage_error "--driver-rpm-sha256 needs --driver-rpm"; fi
}
