# --- 5. Docker CE -----------------------------------------------------------------------------
install_docker() {
  step "Docker CE"
  local missing
  missing=$(missing_packages "${DOCKER_PACKAGES[@]}")
  if [[ -z $missing ]]; then
    ok "installed: ${DOCKER_PACKAGES[*]}"
  else
    remove_docker_conflicts
    add_docker_repository
    import_docker_key
    run dnf -y install "${DOCKER_PACKAGES[@]}"
  fi
  if systemctl is-enabled --quiet docker 2>/dev/null && systemctl is-active --quiet docker 2>/dev/null; then
    ok "docker.service is enabled and running"
  else
    run systemctl enable --now docker
  fi
  configure_registries
}

# Registry mirrors and private registries, the ways Docker supports them: "registry-mirrors" in
# daemon.json (Docker Hub only), a CA file in certs.d/HOST/ for a registry with its own CA, and
# "insecure-registries" for one without TLS. daemon.json keeps every other key it has.
configure_registries() {
  local pair host file dest
  for pair in "${REGISTRY_CAS[@]}"; do
    host=${pair%%=*} file=${pair#*=} dest=$DOCKER_CERTS_DIR/${pair%%=*}/ca.crt
    if [[ -f $dest ]] && cmp -s "$file" "$dest"; then ok "CA of registry $host is installed ($dest)"; else run install -D -m 0644 "$file" "$dest"; fi
  done
  ((${#REGISTRY_MIRRORS[@]} + ${#INSECURE_REGISTRIES[@]} > 0)) || return 0
  local merged
  merged=$(daemon_json_with_registries) || die "$DAEMON_JSON is not a JSON object this script can merge into; it was left unchanged" \
    "Fix the file (python3 -m json.tool $DAEMON_JSON shows where), then run this script again."
  if [[ -z $merged ]]; then
    ok "$DAEMON_JSON has the registry settings: ${REGISTRY_MIRRORS[*]} ${INSECURE_REGISTRIES[*]}"
    return 0
  fi
  if [[ -f $DAEMON_JSON && ! -f $DAEMON_JSON.before-cuda-scaffold ]]; then run cp -p "$DAEMON_JSON" "$DAEMON_JSON.before-cuda-scaffold"; fi
  write_file "$DAEMON_JSON" "$merged"
  run systemctl restart docker
}

# Docker CE's containerd.io replaces Oracle Linux's runc, so installing Docker CE removes Podman,
# Buildah and what depends on them (DOCKER_CONFLICTS): only when asked, and checked right after the
# pre-flight checks, before anything changes (the Podman script's twin refuses Docker CE).
check_engine_conflicts() {
  [[ -n $(missing_packages "${DOCKER_PACKAGES[@]}") ]] || return 0
  local found
  mapfile -t found < <(installed_packages "${DOCKER_CONFLICTS[@]}")
  ((${#found[@]} > 0)) || return 0
  if $REPLACE_PODMAN; then
    ok "--replace-podman: ${found[*]} will be removed for Docker CE"
    return 0
  fi
  die "installed: ${found[*]}; Docker CE conflicts with them (its containerd.io replaces Oracle Linux's runc), so installing it would remove them and what depends on them" \
    "Run again with --replace-podman to remove them (images and containers in /var/lib/containers stay on disk)," \
    "or keep Podman: regenerate with --engine podman, which gives Podman the GPUs (CDI) instead of Docker."
}
