# shellcheck shell=bash
# Stand-ins for uname, lspci, mokutil, dkms, gcc, getconf and grubby: small facts about the host.
# Sourced by test/host/stand-ins.sh for these commands only, after its shared helpers.
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal

# --- Small facts ------------------------------------------------------------------------------
stand_in_uname() {
  case ${1:-} in
    -r) running_kernel ;;
    -m) setting arch ;;
    "" | -s) echo Linux ;;
    *) unsupported "$@" ;;
  esac
}

stand_in_lspci() {
  local lines
  lines=$(settings_all gpu; settings_all nvswitch)
  # WSL 2 shows its paravirtual adapter, never the NVIDIA device (microsoft/WSL#9821).
  if [[ ${SETTING[wsl]-} == 1 ]]; then lines="3a16:00:00.0 3D controller [0302]: Microsoft Corporation Basic Render Driver [1414:008e]"; fi
  if [[ " $* " == *" -d 10de: "* ]]; then grep '\[10de:' <<<"$lines" || true; else printf '%s\n' "$lines"; fi
}

stand_in_mokutil() {
  case ${1:-} in
    --sb-state)
      case ${SETTING[secure_boot]-} in
        enabled) echo "SecureBoot enabled" ;;
        disabled) echo "SecureBoot disabled" ;;
        *) echo "EFI variables are not supported on this system" >&2; exit 1 ;;
      esac
      ;;
    --test-key)
      if flag mok_enrolled; then echo "$2 is already enrolled"; else echo "$2 is not enrolled"; fi
      ;;
    *) unsupported "$@" ;;
  esac
}

stand_in_dkms() {
  db_has dkms || { echo "bash: dkms: command not found" >&2; exit 127; }
  case ${1:-} in
    --version) echo "dkms-${SETTING[dkms_version]-}" ;;
    status) if [[ -s $STATE/dkms_built ]]; then echo "nvidia/$(db_version nvidia-driver), $(cat "$STATE/dkms_built"), ${SETTING[arch]-}: installed"; fi ;;
    *) unsupported "$@" ;;
  esac
}

stand_in_gcc() {
  [[ ${1:-} == -dumpversion ]] || unsupported "$@"
  setting system_gcc
}

# grubby only answers which kernel boots by default; changing the boot entry must never happen here.
stand_in_grubby() {
  if [[ ${SETTING[no_grubby]-} == 1 ]]; then echo "bash: grubby: command not found" >&2; exit 127; fi
  if [[ $* != --default-kernel ]]; then
    printf 'TRIPWIRE: grubby %s was called inside the sandbox\n' "$*" | tee -a "$CALLS" >&2
    exit 99
  fi
  printf '/boot/vmlinuz-%s\n' "${SETTING[default_kernel]:-${SETTING[extra_kernel]:-${SETTING[kernel]-}}}"
}
