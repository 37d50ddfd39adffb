# The registry options (both engines): Docker Hub mirrors as https URLs (http with --allow-insecure-mirror),
# registry CAs as HOST=FILE, registries without TLS as HOST[:PORT] (with --allow-insecure-mirror).
check_registry_options() {
  local value
  if ((${#REGISTRY_MIRRORS_GIVEN[@]} > 0)); then REGISTRY_MIRRORS=("${REGISTRY_MIRRORS_GIVEN[@]}"); fi
  for value in "${REGISTRY_MIRRORS[@]}"; do
    if [[ $value =~ ^[a-z0-9.-]+(:[0-9]+)?=.+ ]]; then
      usage_error "--registry-mirror '$value': $REGISTRY_MIRRORS_SCOPE; for another registry use its mirror as the image prefix (the Dockerfile's build arguments), and --registry-ca for its CA"
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
  readonly REGISTRY_MIRRORS
}
