remove_docker_conflicts() {
  local found
  mapfile -t found < <(installed_packages "${DOCKER_CONFLICTS[@]}")
  if ((${#found[@]} == 0)); then
    ok "no packages that conflict with Docker CE"
    return 0
  fi
  warn "removing packages that conflict with Docker CE: ${found[*]}"
  log "(Oracle Linux's podman/buildah stack needs its own runc, which Docker's containerd.io replaces;"
  log " images and containers in /var/lib/containers stay on disk)"
  run dnf -y remove "${found[@]}"
}

add_docker_repository() {
  local repo=/etc/yum.repos.d/docker-ce.repo
  if [[ -f $repo ]] && { [[ $DOCKER_REPO == "$DOCKER_REPO_UPSTREAM" ]] || grep -qF "$DOCKER_REPO/" "$repo"; }; then
    ok "Docker's repository is configured ($repo)"
    return 0
  fi
  if [[ -f $repo ]]; then
    # Configured from the public host by an earlier run: moved to the mirror.
    point_at_mirror "$repo" "$DOCKER_REPO_UPSTREAM" "$DOCKER_REPO"
    return 0
  fi
  install_missing dnf-plugins-core
  run dnf config-manager --add-repo "$DOCKER_REPO$DOCKER_REPO_FILE"
  # A mirror's copy of the .repo file still names download.docker.com: its lines move to the mirror.
  point_at_mirror "$repo" "$DOCKER_REPO_UPSTREAM" "$DOCKER_REPO"
  # Docker publishes its RHEL repository per major release; a 404 here means $releasever does not match.
  run dnf -q makecache --repo docker-ce-stable
}

import_docker_key() {
  local key_id=${DOCKER_KEY_FINGERPRINT: -8}
  if is_installed "gpg-pubkey-${key_id,,}"; then
    ok "Docker's signing key ${key_id} is imported"
    return 0
  fi
  make_work_dir
  # The key sits next to the .repo file (the repository's gpgkey= line names the same URL).
  local url=$DOCKER_REPO$DOCKER_REPO_FILE
  fetch_key "${url%/*}/gpg" "$DOCKER_KEY_FINGERPRINT" "$WORK_DIR/docker.gpg"
  run rpm --import "$WORK_DIR/docker.gpg"
}
