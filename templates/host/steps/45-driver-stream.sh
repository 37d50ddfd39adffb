# DKMS streams only: the precompiled streams need a RHEL kernel build string, which UEK and
# Oracle's RHCK builds do not have.
choose_driver_stream() {
  local branch=""
  if [[ $DRIVER_SOURCE == local ]]; then branch=${LOCAL_DRIVER_VERSION%%.*}; else branch=$DRIVER_BRANCH; fi
  check_driver_cap "$branch"
  branch=${branch:-$DRIVER_CAP}
  if [[ -n $branch ]]; then
    version_ge "$branch" "${MIN_DRIVER%%.*}" || die "driver branch $branch is older than the stack's floor $MIN_DRIVER"
    if [[ $MODULE_FLAVOUR == open ]] && ! version_ge "$branch" "$OPEN_MODULES_SINCE"; then
      die "driver branch $branch has no open kernel modules (they start with R$OPEN_MODULES_SINCE); use --kernel-modules proprietary or a newer driver"
    fi
    if [[ $MODULE_FLAVOUR == proprietary ]] && version_ge "$branch" "$OPEN_MODULES_ONLY_SINCE"; then
      die "driver branch $branch has no proprietary kernel modules (NVIDIA removed them in R$OPEN_MODULES_ONLY_SINCE)" \
        "Use a branch below $OPEN_MODULES_ONLY_SINCE (for example --driver-branch $LONG_TERM_BRANCH, a long-term branch) for this GPU."
    fi
  fi
  if [[ $MODULE_FLAVOUR == open ]]; then
    DRIVER_STREAM=${branch:+$branch-open}
    DRIVER_STREAM=${DRIVER_STREAM:-open-dkms}
    DRIVER_META="nvidia-open"
  else
    DRIVER_STREAM=${branch:+$branch-dkms}
    DRIVER_STREAM=${DRIVER_STREAM:-latest-dkms}
    DRIVER_META="cuda-drivers"
  fi
  # Branches after DRIVER_MODULE_INSTALL_THROUGH are installed as "enable the stream, install the
  # meta package"; it and older ones with "dnf module install" of the stream's default profile.
  if [[ -n $branch ]] && version_ge "$DRIVER_MODULE_INSTALL_THROUGH" "$branch"; then DRIVER_META=""; fi
  ok "driver stream: nvidia-driver:$DRIVER_STREAM"
  if [[ $DRIVER_PLAN == upgrade ]]; then check_module_switch; fi
}

# An installed driver moves to the new stream with `dnf module switch-to`. Whether this dnf has it
# is asked of dnf itself (its module help lists its subcommands): RHEL 8.4 backported it to 4.4.2.
check_module_switch() {
  local help version
  help=$(dnf module --help 2>/dev/null || true)
  [[ $help == *switch-to* ]] && return 0
  version=$(rpm -q --qf '%{VERSION}' dnf 2>/dev/null) || version="version unknown"
  die "this dnf ($version) has no \`dnf module switch-to\` (dnf $DNF_MODULE_SWITCH_TO_SINCE added it), which moves the installed driver $INSTALLED_DRIVER to nvidia-driver:$DRIVER_STREAM" \
    "Update dnf first (dnf -y update dnf), then run this script again."
}

preflight() {
  step "Pre-flight checks"
  detect_os
  detect_wsl
  detect_kernel
  detect_gpus
  detect_secure_boot
  detect_driver
  plan_driver
}
