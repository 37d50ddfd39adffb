# --- 1. Pre-flight ----------------------------------------------------------------------------
# The machine: one this script supports (HOST_ARCHES), and the one the stack was generated for
# (STACK_ARCH, from --platform): a linux/arm64 stack's wheels and image do not run on an x86_64
# host, nor the reverse, so a mismatch stops here, before anything changes.
detect_arch() {
  ARCH=$(uname -m)
  local arch supported=false want=linux/amd64
  for arch in "${HOST_ARCHES[@]}"; do
    if [[ $ARCH == "$arch" ]]; then supported=true; fi
  done
  $supported || die "this host's architecture is $ARCH (uname -m); this script supports ${HOST_ARCHES[*]} only" \
    "NVIDIA's RHEL driver repositories serve x86_64 and arm64 (SBSA) servers; there is no driver for $ARCH to install."
  [[ $ARCH == "$STACK_ARCH" ]] && return 0
  if [[ $ARCH == aarch64 ]]; then want=linux/arm64; fi
  die "the stack was generated for $STACK_PLATFORM ($STACK_ARCH) and this host is $ARCH" \
    "Its wheels and image are built for $STACK_ARCH. Regenerate the files for this host: the command in this script's" \
    "header with --platform $want, then run the new host/bootstrap-oraclelinux.sh."
}

# The kernels the driver is built for: 4k pages (DRIVER_PAGE_SIZE) and, on aarch64, UEK (the only
# kernel Oracle Linux ships there). Another one is refused unless --skip-driver leaves the driver
# alone; then it returns 1 and the kernel checks that only the driver build needs are skipped.
check_kernel_supported() {
  PAGE_SIZE=$(getconf PAGESIZE 2>/dev/null || echo unknown)
  local problem="" hints=()
  if [[ $PAGE_SIZE != "$DRIVER_PAGE_SIZE" ]]; then
    problem="the running kernel $KREL has $PAGE_SIZE-byte pages; this script builds the NVIDIA driver for $DRIVER_PAGE_SIZE-byte pages only"
    hints=("Oracle's 64k-page UEK (kernel-uek64k) is supported on OCI's Ampere shapes only and a technical preview elsewhere, and"
      "which package holds its headers for DKMS is not established here. Boot the 4k-page UEK (kernel-uek; grubby --set-default),"
      "or install the driver yourself and run this script again with --skip-driver.")
  elif [[ $ARCH == aarch64 && $KFLAVOUR != UEK ]]; then
    problem="the running kernel $KREL is not UEK; Oracle Linux ships only UEK on aarch64, and this script builds the driver for it"
    hints=("Boot the UEK kernel (kernel-uek), or install the driver yourself and run this script again with --skip-driver.")
  else
    return 0
  fi
  $SKIP_DRIVER || die "$problem" "${hints[@]}"
  note "${problem%%;*}; --skip-driver: the driver already installed is used as it is"
  return 1
}
