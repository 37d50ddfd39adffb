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
