# --- Output, errors, commands -----------------------------------------------------------------
log() { printf '    %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
note() { printf '    note: %s\n' "$*"; }
warn() { printf '    WARNING: %s\n' "$*"; }

step() {
  STEP_NO=$((STEP_NO + 1))
  CURRENT_STEP=$1
  printf '\n==> [%d/%d] %s\n' "$STEP_NO" "$STEP_TOTAL" "$CURRENT_STEP"
}

# die MESSAGE [HINT...]: stop with a message naming the current step.
die() {
  printf '\nERROR in step "%s": %s\n' "$CURRENT_STEP" "$1" >&2
  shift
  local hint
  for hint in "$@"; do printf '    %s\n' "$hint" >&2; done
  if $LOGGING; then printf 'Full log: %s\n' "$LOG_FILE" >&2; fi
  exit 1
}

usage_error() {
  printf '%s: %s\nRun with --help for the options.\n' "${0##*/}" "$1" >&2
  exit 1
}

on_unexpected_error() {
  local rc=$1 line=$2 command=$3
  # A failing command substitution reports once, in the shell that runs the script.
  if ((BASH_SUBSHELL > 0)); then exit "$rc"; fi
  die "unexpected failure (exit $rc) at line $line: $command"
}
trap 'on_unexpected_error $? $LINENO "$BASH_COMMAND"' ERR

cleanup() {
  if [[ -n $WORK_DIR ]]; then rm -rf -- "$WORK_DIR"; fi
  release_lock
}
trap cleanup EXIT
