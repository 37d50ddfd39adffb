# The sources: URLs that are plain https (or http with --allow-insecure-mirror), registry names and CA files.
check_source_options() {
  local option value
  if ((${#REGISTRY_MIRRORS_GIVEN[@]} > 0)); then REGISTRY_MIRRORS=("${REGISTRY_MIRRORS_GIVEN[@]}"); fi
  for option in "--docker-repo $DOCKER_REPO" "--toolkit-repo $TOOLKIT_REPO" "--cuda-repo $CUDA_REPO_BASE"; do
    value=${option#* }
    url_allowed "$value" || usage_error "${option%% *} '$value' is not an https:// URL (http:// needs --allow-insecure-mirror)"
  done
  for value in "${REGISTRY_MIRRORS[@]}"; do
    if [[ $value =~ ^[a-z0-9.-]+(:[0-9]+)?=.+ ]]; then
      usage_error "--registry-mirror '$value': Docker's registry-mirrors serve Docker Hub only; for another registry use its mirror as the image prefix (the Dockerfile's build arguments), and --registry-ca for its CA"
    fi
    url_allowed "$value" || usage_error "--registry-mirror '$value' is not an https:// URL (http:// needs --allow-insecure-mirror)"
  done
  for value in "${REGISTRY_CAS[@]}"; do
    [[ $value =~ ^[A-Za-z0-9.-]+(:[0-9]+)?=.+$ ]] || usage_error "--registry-ca '$value' is not HOST=FILE (e.g. harbor.example.com=/root/harbor-ca.crt)"
    [[ -f ${value#*=} && -r ${value#*=} ]] || usage_error "--registry-ca $value: no such readable file ${value#*=}"
  done
  for value in "${INSECURE_REGISTRIES[@]}"; do
    [[ $value =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]] || usage_error "--insecure-registry '$value' is not a registry HOST[:PORT]"
    $ALLOW_INSECURE_MIRROR || usage_error "--insecure-registry $value turns TLS off for that registry; add --allow-insecure-mirror to confirm"
  done
  readonly DOCKER_REPO TOOLKIT_REPO CUDA_REPO_BASE REGISTRY_MIRRORS
}

main() {
  parse_args "$@"
  check_root "$@"
  take_lock "$@"
  start_log "$@"
  printf 'cuda-scaffold host bootstrap for: %s\n' "$STACK"
  if $DRY_RUN; then note "dry run: commands are printed, not run; nothing is changed and no log is written"; fi
  preflight
  setup_repositories
  install_kernel_headers
  install_driver
  install_docker
  install_container_toolkit
  verify
}

main "$@"
