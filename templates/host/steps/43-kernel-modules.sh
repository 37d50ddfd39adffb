# Open modules need Turing or newer and are required from Blackwell on; Maxwell, Pascal and
# Volta need the proprietary ones, and so does a host that mixes those with newer GPUs. Each GPU's
# chip family (CHIP_MODULES and CHIP_ARCHITECTURES, by the letters of its chip code) says which
# modules drive it, and the messages name its architecture.
choose_kernel_modules() {
  local line family arch modules unknown=0 proprietary_only="" open_only="" either=""
  while IFS= read -r line; do
    family=$(gpu_family "$line") modules="" arch=""
    if [[ -n $family ]]; then modules=${CHIP_MODULES[$family]} arch=${CHIP_ARCHITECTURES[$family]}; fi
    # Each architecture once, in the order the GPUs are listed.
    case $modules in
      proprietary) [[ ", $proprietary_only, " == *", $arch, "* ]] || proprietary_only+=${proprietary_only:+, }$arch ;;
      open) [[ ", $open_only, " == *", $arch, "* ]] || open_only+=${open_only:+, }$arch ;;
      either) [[ ", $either, " == *", $arch, "* ]] || either+=${either:+, }$arch ;;
      *) unknown=$((unknown + 1)) ;;
    esac
  done <<<"$GPU_LINES"
  if [[ -n $proprietary_only && -n $open_only ]]; then
    die "this host mixes GPUs only the proprietary modules drive ($proprietary_only) with GPUs only the open modules drive ($open_only); no single driver flavour drives both"
  fi
  local auto reason
  if [[ -n $proprietary_only ]]; then
    auto=proprietary reason="$proprietary_only GPU found; only the proprietary modules drive it"
  elif [[ -n $open_only ]]; then
    auto=open reason="$open_only GPU found; only the open modules drive it"
  elif [[ -n $either ]] && ((unknown == 0)); then
    auto=open reason="$either GPUs, which either flavour drives; open modules are NVIDIA's default since R$OPEN_MODULES_DEFAULT_SINCE"
  else
    auto=open reason="GPU generation not recognised from lspci; open modules are NVIDIA's default since R$OPEN_MODULES_DEFAULT_SINCE"
  fi
  if [[ -z $KERNEL_MODULES ]]; then
    MODULE_FLAVOUR=$auto
    ok "kernel modules: $MODULE_FLAVOUR ($reason)"
    if ((unknown > 0)); then note "for a GPU only the proprietary modules drive ($PROPRIETARY_ONLY_ARCHITECTURES), run again with --kernel-modules proprietary"; fi
    return 0
  fi
  MODULE_FLAVOUR=$KERNEL_MODULES
  if [[ $MODULE_FLAVOUR == proprietary && -n $open_only ]]; then
    die "--kernel-modules proprietary cannot drive the $open_only GPU found; only the open modules drive it"
  fi
  if [[ $MODULE_FLAVOUR == open && -n $proprietary_only ]]; then
    die "--kernel-modules open cannot drive the $proprietary_only GPU found; only the proprietary modules drive it"
  fi
  ok "kernel modules: $MODULE_FLAVOUR (--kernel-modules; detection suggested $auto: $reason)"
}
