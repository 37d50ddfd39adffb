# UEK is built with a newer GCC than the system compiler (a gcc-toolset); DKMS must build the
# NVIDIA modules with that same compiler (build_environment, DKMS_BUILD_ENVIRONMENT_SINCE and later).
# DKMS reads framework.conf.d once, before it knows the target kernel, but sources the
# build_environment file for each build with $kernelver set: that file enables the toolset for UEK
# kernels only, so a Red Hat compatible kernel beside UEK keeps the system compiler.
configure_uek_compiler() {
  local config=/usr/src/kernels/$KREL/.config cc_text kernel_gcc system_gcc
  if [[ ! -r $config ]]; then
    if $DRY_RUN; then
      note "the compiler UEK was built with is read from $config once the headers are installed"
    else
      warn "cannot read $config; DKMS will build with the system compiler"
    fi
    return 0
  fi
  cc_text=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$config")
  kernel_gcc=$(sed -n 's/^gcc (GCC) \([0-9]*\)\..*/\1/p' <<<"$cc_text")
  system_gcc=$(gcc -dumpversion 2>/dev/null | cut -d. -f1 || true)
  if [[ -z $kernel_gcc ]]; then
    note "kernel compiler not recognised ('$cc_text'); DKMS uses the system compiler"
    return 0
  fi
  if [[ $kernel_gcc == "$system_gcc" ]]; then
    ok "UEK $KREL was built with GCC $kernel_gcc, the system compiler"
    return 0
  fi
  local toolset=gcc-toolset-$kernel_gcc
  log "UEK $KREL was built with GCC $kernel_gcc ($toolset), the system compiler is GCC ${system_gcc:-?}"
  install_missing "$toolset-gcc"
  local content="# Written by cuda-scaffold's host bootstrap: build DKMS modules with the compiler UEK was built with.
build_environment=\"$DKMS_TOOLSET_ENV\""
  local env="# Written by cuda-scaffold's host bootstrap; DKMS sources it for each build, \$kernelver the target kernel.
# shellcheck shell=bash
case \${kernelver:-} in *uek*) source /opt/rh/$toolset/enable ;; esac"
  if [[ -f $DKMS_TOOLSET_CONF && "$(cat "$DKMS_TOOLSET_CONF")" == "$content" && -f $DKMS_TOOLSET_ENV && "$(cat "$DKMS_TOOLSET_ENV")" == "$env" ]]; then
    ok "DKMS builds UEK modules with $toolset ($DKMS_TOOLSET_CONF)"
  else
    write_file "$DKMS_TOOLSET_ENV" "$env"
    write_file "$DKMS_TOOLSET_CONF" "$content"
  fi
  local dkms_version
  dkms_version=$(dkms --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | sed -n 1p || true)
  if [[ -n $dkms_version ]] && ! version_ge "$dkms_version" "$DKMS_BUILD_ENVIRONMENT_SINCE"; then
    local problem="dkms $dkms_version ignores build_environment (added in dkms $DKMS_BUILD_ENVIRONMENT_SINCE), so it would build the NVIDIA module with GCC ${system_gcc:-?} for a kernel built with GCC $kernel_gcc"
    if [[ $DRIVER_PLAN == ready ]]; then
      warn "$problem; update dkms (dnf upgrade dkms) before the next kernel update"
    else
      die "$problem" "Update dkms from EPEL (dnf upgrade dkms), then run this script again."
    fi
  fi
}
