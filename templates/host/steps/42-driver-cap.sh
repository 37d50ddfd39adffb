# The chip family of one lspci line (a key of CHIP_MODULES: the letters of its chip code), or nothing.
gpu_family() {
  local prefixes chip
  prefixes=$(IFS='|' && echo "${!CHIP_MODULES[*]}")
  chip=$(grep -oE "\\b($prefixes)[0-9]{2,3}" <<<"$1" | sed -n 1p || true)
  echo "${chip%%[0-9]*}"
}

# NVIDIA left some GPU generations on a legacy branch (CHIP_LAST_BRANCHES): a newer driver cannot
# drive them, so the host's driver branch is capped at the lowest such branch among its GPUs.
# DRIVER_CAP is that branch and DRIVER_CAP_ARCHS the architectures that set it. A stack that needs
# a newer driver than the cap stops here, before anything changes, naming what would run.
find_driver_cap() {
  local line family last arch
  DRIVER_CAP="" DRIVER_CAP_ARCHS=""
  while IFS= read -r line; do
    family=$(gpu_family "$line")
    [[ -n $family && -n ${CHIP_LAST_BRANCHES[$family]:-} ]] || continue
    last=${CHIP_LAST_BRANCHES[$family]} arch=${CHIP_ARCHITECTURES[$family]}
    if [[ -z $DRIVER_CAP ]] || ((last < DRIVER_CAP)); then
      DRIVER_CAP=$last DRIVER_CAP_ARCHS=$arch
    elif ((last == DRIVER_CAP)) && [[ ", $DRIVER_CAP_ARCHS, " != *", $arch, "* ]]; then
      DRIVER_CAP_ARCHS+=", $arch"
    fi
  done <<<"$GPU_LINES"
  [[ -n $DRIVER_CAP ]] || return 0
  ok "driver branch at most R$DRIVER_CAP: the last NVIDIA driver branch for the $DRIVER_CAP_ARCHS GPU found"
  version_ge "$DRIVER_CAP" "${MIN_DRIVER%%.*}" && return 0
  local advice=("No driver can serve both: run a stack whose CUDA runs on R$DRIVER_CAP.")
  if [[ -n ${BRANCH_NEWEST_CUDA[$DRIVER_CAP]:-} ]]; then
    advice=("CUDA ${BRANCH_NEWEST_CUDA[$DRIVER_CAP]} and older run on R$DRIVER_CAP. Regenerate the stack for that driver (it picks the framework" \
      "builds for such a CUDA), in the project root:" "  ${BRANCH_REGENERATE[$DRIVER_CAP]}")
  fi
  die "the stack (CUDA $STACK_CUDA) needs driver >= $MIN_DRIVER, and R$DRIVER_CAP is the last driver branch for the $DRIVER_CAP_ARCHS GPU found" "${advice[@]}"
}

# check_driver_cap BRANCH: refuse a --driver-branch or local rpm newer than the cap.
check_driver_cap() {
  [[ -n $DRIVER_CAP && -n $1 ]] || return 0
  ((10#$1 > DRIVER_CAP)) || return 0
  if [[ $DRIVER_SOURCE == local ]]; then
    die "--driver-rpm ${DRIVER_RPM##*/} carries driver $LOCAL_DRIVER_VERSION, and R$DRIVER_CAP is the last driver branch for the $DRIVER_CAP_ARCHS GPU found" \
      "Download a CUDA local installer whose driver is a $DRIVER_CAP release, or use --driver-source network (it installs R$DRIVER_CAP)."
  fi
  die "--driver-branch $1 cannot drive the $DRIVER_CAP_ARCHS GPU found: R$DRIVER_CAP is the last driver branch for it" \
    "Use --driver-branch $DRIVER_CAP, or leave the option out (the script then installs R$DRIVER_CAP)."
}
