start_log() {
  if $DRY_RUN; then return 0; fi
  mkdir -p "${LOG_FILE%/*}"
  touch "$LOG_FILE"
  chmod 600 "$LOG_FILE"
  exec > >(tee -a "$LOG_FILE") 2>&1
  LOGGING=true
  printf '\n===== %s: %s %s\n' "$(date '+%Y-%m-%d %H:%M:%S %z')" "${0##*/}" "$*"
}

# Ask for a reboot: at once (exit 3), or in a dry run remember it and carry on printing.
need_reboot() {
  if $DRY_RUN; then
    REBOOT_PENDING=$1
    note "a reboot would be needed here: $1"
    return 0
  fi
  printf '\nREBOOT NEEDED (step "%s"): %s\n' "$CURRENT_STEP" "$1"
  local hint
  for hint in "${@:2}"; do printf '    %s\n' "$hint"; done
  printf 'Reboot, then run this script again with the same options; it carries on from here.\n'
  exit "$EXIT_REBOOT"
}
