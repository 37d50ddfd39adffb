# Rootless Podman needs subordinate user and group ids for the user. The GPU needs nothing more:
# NVIDIA's no-cgroups setting for rootless use belongs to Docker's nvidia runtime, and Podman's CDI
# path does not run it.
configure_rootless() {
  local user=${SUDO_USER:-}
  if [[ -z $user || $user == root ]]; then
    note "not run with sudo by a user: no user to prepare for rootless Podman"
    return 0
  fi
  getent passwd "$user" >/dev/null || die "SUDO_USER $user is not a user of this host"
  local options=() start range
  start=$(next_subid_start)
  range=$start-$((start + SUBID_COUNT - 1))
  if grep -qs "^$user:" /etc/subuid; then ok "$user has subordinate user ids (/etc/subuid)"; else options+=(--add-subuids "$range"); fi
  if grep -qs "^$user:" /etc/subgid; then ok "$user has subordinate group ids (/etc/subgid)"; else options+=(--add-subgids "$range"); fi
  if ((${#options[@]} > 0)); then run usermod "${options[@]}" "$user"; fi
  ROOTLESS_USER=$user
}

# The first id above every range already given out (and above SUBID_FLOOR).
next_subid_start() {
  local files=() file end=0
  for file in /etc/subuid /etc/subgid; do
    if [[ -f $file ]]; then files+=("$file"); fi
  done
  if ((${#files[@]} > 0)); then
    end=$(awk -F: 'NF >= 3 && $2 + $3 > max { max = $2 + $3 } END { print max + 0 }' "${files[@]}")
  fi
  if ((end < SUBID_FLOOR)); then end=$SUBID_FLOOR; fi
  printf '%s\n' "$end"
}

# The GPU check again as ROOTLESS_USER, rootless. runuser is util-linux's (runuser(1)); it keeps
# root's environment but HOME, SHELL, USER and LOGNAME, so XDG_RUNTIME_DIR and the D-Bus address
# are dropped and Podman finds the user's own (/run/user/UID, else a folder of its own); without a
# user session Podman falls back to the cgroupfs manager by itself (containers/common pkg/config).
# No `loginctl enable-linger`: it would keep a user manager running for good, and the check does not
# need one. The rootful check is the contract: a failure here is a warning with what to try.
verify_rootless() {
  if [[ -z $ROOTLESS_USER ]]; then note "no rootless check: the script was not run with sudo by a user"; return 0; fi
  local check=(runuser -u "$ROOTLESS_USER" -- podman run --rm --device "$CDI_DEVICE" "$VERIFY_IMAGE" nvidia-smi -L)
  if $DRY_RUN; then run "${check[@]}"; return 0; fi
  if ! command -v runuser >/dev/null; then warn "no runuser (util-linux) on this host: the rootless check as $ROOTLESS_USER is skipped"; return 0; fi
  printf '\n'
  log "+ ${check[*]}"
  local output rc=0
  output=$(cd / && unset XDG_RUNTIME_DIR DBUS_SESSION_BUS_ADDRESS && "${check[@]}" 2>&1) || rc=$?
  printf '%s\n' "$output" | sed 's/^/      /'
  if ((rc == 0)); then ok "rootless Podman as $ROOTLESS_USER uses the GPU"; return 0; fi
  warn "the rootless check as $ROOTLESS_USER failed (exit $rc): $(printf '%s\n' "$output" | grep -m1 -i 'error' || printf '%s\n' "$output" | tail -n 1)"
  log "The rootful check passed, so the host is ready; only rootless use needs a look. As $ROOTLESS_USER, in a login session, try:"
  log "  podman run --rm --device $CDI_DEVICE $VERIFY_IMAGE nvidia-smi -L"
  log "If /etc/subuid or /etc/subgid changed after $ROOTLESS_USER first ran Podman, run \`podman system migrate\` as $ROOTLESS_USER first."
}
