# The option only the Docker script has: parse_args hands it each option it does not know, and it
# answers 1 for one that is not Docker's either.
engine_option() {
  [[ $1 == --docker-repo ]] || return 1
  (($# >= 2)) || usage_error "$1 needs a value"
  DOCKER_REPO=${2%/}
}

# Docker has no option of its own to check before the driver's; --docker-repo is a source.
check_engine_options() { :; }

# The sources: Docker's repository, the toolkit's and CUDA's.
check_source_options() {
  check_source_urls --docker-repo "$DOCKER_REPO" --toolkit-repo "$TOOLKIT_REPO" --cuda-repo "$CUDA_REPO_BASE"
  readonly DOCKER_REPO TOOLKIT_REPO CUDA_REPO_BASE
}

# Docker CE's containerd.io replaces Oracle Linux's runc, so installing Docker CE removes Podman,
# Buildah and what depends on them (DOCKER_CONFLICTS): only when asked, and checked before anything
# changes.
preflight_engine() {
  [[ -n $(missing_packages "${DOCKER_PACKAGES[@]}") ]] || return 0
  local found=() pkg
  for pkg in "${DOCKER_CONFLICTS[@]}"; do
    if is_installed "$pkg"; then found+=("$pkg"); fi
  done
  ((${#found[@]} > 0)) || return 0
  if $REPLACE_PODMAN; then
    ok "--replace-podman: ${found[*]} will be removed for Docker CE"
    return 0
  fi
  die "installed: ${found[*]}; Docker CE conflicts with them (its containerd.io replaces Oracle Linux's runc), so installing it would remove them and what depends on them" \
    "Run again with --replace-podman to remove them (images and containers in /var/lib/containers stay on disk)," \
    "or keep Podman: regenerate with --engine podman, which gives Podman the GPUs (CDI) instead of Docker."
}
