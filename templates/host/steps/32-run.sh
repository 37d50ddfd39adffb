# run COMMAND...: log and run a command that changes the host; in a dry run only print it.
run() {
  local text
  text=$(printf '%q ' "$@")
  text=${text% }
  if $DRY_RUN; then
    printf '    [dry-run] %s\n' "$text"
    return 0
  fi
  printf '    + %s\n' "$text"
  local rc=0
  "$@" || rc=$?
  if ((rc != 0)); then die "command failed (exit $rc): $text"; fi
}

# write_file PATH CONTENT: replace a file atomically (printed, not written, in a dry run).
write_file() {
  local path=$1 content=$2
  if $DRY_RUN; then
    printf '    [dry-run] write %s:\n' "$path"
    printf '%s\n' "$content" | sed 's/^/        | /'
    return 0
  fi
  printf '    + write %s\n' "$path"
  mkdir -p "${path%/*}"
  printf '%s\n' "$content" >"$path.new"
  mv -f "$path.new" "$path"
}

# A private scratch folder for downloads (only named, not created, in a dry run).
make_work_dir() {
  if [[ -n $WORK_DIR ]]; then return 0; fi
  if $DRY_RUN; then
    WORK_DIR=$(mktemp -u -d "${TMPDIR:-/tmp}/cuda-scaffold.XXXXXX")
  else
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cuda-scaffold.XXXXXX")
  fi
}
