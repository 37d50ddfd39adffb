# Validate NVIDIA's local repository rpm before anything is installed.
check_driver_source() {
  if [[ $DRIVER_SOURCE == network ]]; then
    ok "driver source: NVIDIA's network repository $CUDA_REPO_BASE/rhel$OL_MAJOR/$CUDA_REPO_ARCH/"
    return 0
  fi
  [[ -n $DRIVER_RPM ]] || die "the NVIDIA driver has to be installed and no --driver-rpm was given" \
    "Download the rpm (local) installer for RHEL $OL_MAJOR, $ARCH from https://developer.nvidia.com/cuda-downloads" \
    "and run again with --driver-rpm ./cuda-repo-rhel$OL_MAJOR-<X-Y>-local-<version>_<driver>-1.$ARCH.rpm," \
    "or use --driver-source network."
  [[ -f $DRIVER_RPM && -r $DRIVER_RPM ]] || die "--driver-rpm $DRIVER_RPM: no such readable file"
  local name=${DRIVER_RPM##*/}
  [[ $name =~ ^cuda-repo-rhel([0-9]+)-[0-9]+-[0-9]+-local-[0-9.]+_([0-9]+(\.[0-9]+)+)-[0-9]+\.([a-z0-9_]+)\.rpm$ ]] ||
    die "--driver-rpm $name does not look like NVIDIA's local repository rpm (cuda-repo-rhel<N>-<X-Y>-local-<ver>_<driver>-1.<arch>.rpm)"
  local rpm_os=${BASH_REMATCH[1]} rpm_driver=${BASH_REMATCH[2]} rpm_arch=${BASH_REMATCH[4]}
  [[ $rpm_os == "$OL_MAJOR" ]] || die "--driver-rpm $name is for RHEL $rpm_os, this host runs Oracle Linux $OL_MAJOR" \
    "Download the rhel$OL_MAJOR rpm instead."
  [[ $rpm_arch == "$ARCH" ]] || die "--driver-rpm $name is for $rpm_arch, this host is $ARCH"
  version_ge "$rpm_driver" "$MIN_DRIVER" || die "--driver-rpm $name carries driver $rpm_driver, the stack needs >= $MIN_DRIVER" \
    "Download a newer CUDA local installer (any CUDA whose driver is >= $MIN_DRIVER)."
  LOCAL_DRIVER_VERSION=$rpm_driver
  if [[ -n $DRIVER_RPM_SHA256 ]]; then
    local sum
    sum=$(sha256sum "$DRIVER_RPM" | awk '{ print $1 }')
    [[ ${sum,,} == "${DRIVER_RPM_SHA256,,}" ]] || die "--driver-rpm $name has SHA-256 $sum, expected $DRIVER_RPM_SHA256" \
      "The download is damaged or not the file you meant; download it again."
    ok "SHA-256 of $name verified"
  else
    warn "no --driver-rpm-sha256 given (recommended): compare the file with NVIDIA's published checksum (md5sum.txt next to the installer);"
    log "its signature by NVIDIA's CUDA key is still checked before it is installed"
  fi
  ok "driver source: $name (driver $rpm_driver, RHEL $rpm_os, $rpm_arch)"
}
