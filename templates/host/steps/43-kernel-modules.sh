# Open modules need Turing or newer and are required from Blackwell on; Maxwell, Pascal and
# Volta need the proprietary ones, and so does a host that mixes those with newer GPUs. Each GPU's
# chip family (CHIP_MODULES, by the letters of its chip code) says which modules drive it.
choose_kernel_modules() {
  local line chip modules prefixes old=0 newer=0 blackwell=0 unknown=0
  prefixes=$(IFS='|' && echo "${!CHIP_MODULES[*]}")
  while IFS= read -r line; do
    chip=$(grep -oE "\\b($prefixes)[0-9]{2,3}" <<<"$line" | sed -n 1p || true)
    modules=""
    if [[ -n $chip ]]; then modules=${CHIP_MODULES[${chip%%[0-9]*}]}; fi
    case $modules in
      proprietary) old=$((old + 1)) ;;
      open) blackwell=$((blackwell + 1)) ;;
      either) newer=$((newer + 1)) ;;
      *) unknown=$((unknown + 1)) ;;
    esac
  done <<<"$GPU_LINES"
  if ((old > 0 && blackwell > 0)); then
    die "this host mixes pre-Turing GPUs (proprietary modules only) with Blackwell GPUs (open modules only); no single driver flavour drives both"
  fi
  local auto reason
  if ((old > 0)); then
    auto=proprietary reason="pre-Turing GPU (Maxwell, Pascal or Volta) found"
  elif ((blackwell > 0)); then
    auto=open reason="Blackwell GPU found; it needs the open modules"
  elif ((newer > 0 && unknown == 0)); then
    auto=open reason="Turing or newer GPUs; open modules are NVIDIA's default since R$OPEN_MODULES_DEFAULT_SINCE"
  else
    auto=open reason="GPU generation not recognised from lspci; open modules are NVIDIA's default since R$OPEN_MODULES_DEFAULT_SINCE"
  fi
  if [[ -z $KERNEL_MODULES ]]; then
    MODULE_FLAVOUR=$auto
    ok "kernel modules: $MODULE_FLAVOUR ($reason)"
    if ((unknown > 0)); then note "for a Maxwell, Pascal or Volta GPU, run again with --kernel-modules proprietary"; fi
    return 0
  fi
  MODULE_FLAVOUR=$KERNEL_MODULES
  if [[ $MODULE_FLAVOUR == proprietary ]] && ((blackwell > 0)); then
    die "--kernel-modules proprietary cannot drive the Blackwell GPU found; Blackwell needs the open modules"
  fi
  if [[ $MODULE_FLAVOUR == open ]] && ((old > 0)); then
    die "--kernel-modules open cannot drive the pre-Turing GPU found; it needs the proprietary modules"
  fi
  ok "kernel modules: $MODULE_FLAVOUR (--kernel-modules; detection suggested $auto: $reason)"
}
