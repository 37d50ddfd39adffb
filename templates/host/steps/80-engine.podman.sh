# --- 5. Podman --------------------------------------------------------------------------------
# Podman from Oracle Linux's AppStream; podman-compose from its EPEL mirror. `podman compose` (Podman
# 4.7 and later) runs podman-compose once it is installed; its docker-compose provider would drop
# the CDI devices: entries of the generated compose file.
install_podman() {
  step "Podman"
  if [[ -z "$(missing_packages "${PODMAN_PACKAGES[@]}")" ]]; then
    ok "installed: ${PODMAN_PACKAGES[*]}"
  else
    run dnf -y install "${PODMAN_PACKAGES[@]}"
  fi
  if is_installed "$COMPOSE_PACKAGE"; then
    ok "installed: $COMPOSE_PACKAGE"
  else
    enable_epel
    run dnf -y install "$COMPOSE_PACKAGE"
  fi
  upgrade_older podman "$PODMAN_SINCE" "keep-id as root: $PODMAN_SINCE or later"
  upgrade_older "$COMPOSE_PACKAGE" "$COMPOSE_SINCE" "$COMPOSE_SINCE or later, $COMPOSE_IN_POD_KEY_SINCE or later from $COMPOSE_POD_SINCE on"
  configure_registries
}

# Oracle's EPEL mirror (also enabled by the repositories step when the driver is installed).
enable_epel() {
  install_missing dnf-plugins-core
  install_missing "oracle-epel-release-el$OL_MAJOR"
  enable_repo "ol${OL_MAJOR}_developer_EPEL"
}

# Docker CE's containerd.io replaces runc, which Oracle Linux's Podman needs: refuse before changing
# anything rather than remove another engine.
check_engine_conflicts() {
  local found
  mapfile -t found < <(installed_packages "${DOCKER_PACKAGES[@]}")
  if ((${#found[@]} == 0)); then
    ok "no Docker CE packages (their containerd.io replaces the runc Podman needs)"
    return 0
  fi
  die "Docker CE is installed (${found[*]}); this script sets up Podman and leaves other engines alone" \
    "Remove it first (dnf remove ${found[*]}), or use the Docker script: regenerate with --engine docker."
}
