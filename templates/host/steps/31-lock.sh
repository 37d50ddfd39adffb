# --- One run at a time ------------------------------------------------------------------------
# take_lock ARGS...: hold an exclusive flock on LOCK_FILE until the script exits; when another run
# holds it, stop at once and name that run (the holder writes its pid, start time and command line
# into the file). The lock goes with the process, so a run that is killed leaves no stale lock.
take_lock() {
  command -v flock >/dev/null 2>&1 || die "flock is not installed; install it with: dnf -y install util-linux"
  if $DRY_RUN; then
    warn_if_locked
    return 0
  fi
  if ! { exec {LOCK_FD}>>"$LOCK_FILE"; } 2>/dev/null; then
    die "cannot open the lock file $LOCK_FILE"
  fi
  if ! flock -n "$LOCK_FD"; then
    local holder
    holder=$(lock_holder)
    die "another run of this script is in progress (${holder:-holder unknown}); it holds $LOCK_FILE" \
      "Two runs at once would interleave package installs and configuration changes." \
      "Wait for that run to finish, then run this script again."
  fi
  LOCKED=true
  printf 'pid %d, started %s: %s\n' "$$" "$(date '+%Y-%m-%d %H:%M:%S %z')" "${0##*/}${*:+ $*}" >"$LOCK_FILE"
}

lock_holder() { sed -n 1p "$LOCK_FILE" 2>/dev/null || true; }

# Empty the lock file and drop the lock (also for any child that inherited the descriptor).
release_lock() {
  if ! $LOCKED; then return 0; fi
  LOCKED=false
  : >"$LOCK_FILE" 2>/dev/null || true
  flock -u "$LOCK_FD" 2>/dev/null || true
}

# A dry run only looks: a shared lock it cannot get means a real run is changing the host right now.
warn_if_locked() {
  [[ -r $LOCK_FILE ]] || return 0
  local fd busy=false
  { exec {fd}<"$LOCK_FILE"; } 2>/dev/null || return 0
  flock -n -s "$fd" || busy=true
  exec {fd}<&-
  if $busy; then
    warn "another run of this script is in progress ($(lock_holder)); it is changing the host while this dry run looks at it"
  fi
}
