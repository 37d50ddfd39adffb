# --- 5. Podman: the releases the compose file needs ------------------------------------------
# The generated compose file runs its services with userns_mode keep-id:uid=…,gid=… so that the
# images' user is the host user: Podman takes keep-id as root from PODMAN_SINCE (rootless earlier),
# and podman-compose passes userns_mode on from COMPOSE_SINCE, outside a pod except in the releases
# from COMPOSE_POD_SINCE that make a pod and read no x-podman in_pod (COMPOSE_IN_POD_KEY_SINCE).
# upgrade_older PACKAGE FLOOR WHAT: upgrade an installed PACKAGE that misses it; warn if still so.
upgrade_older() {
  local have
  have=$(installed_version "$1")
  have=${have%%-*}
  if [[ -z $have ]] || version_fits "$1" "$have" "$2"; then return 0; fi
  if [[ $1 == "$COMPOSE_PACKAGE" ]]; then enable_epel; fi
  run dnf -y upgrade "$1"
  if $DRY_RUN; then return 0; fi
  have=$(installed_version "$1")
  have=${have%%-*}
  if version_fits "$1" "$have" "$2"; then ok "$1 $have ($3)"; return 0; fi
  warn "$1 $have is not a release the generated compose file's userns_mode works with ($3);" \
    "the comment at the top of docker-compose.yml says what to do with it"
}

# version_fits PACKAGE VERSION FLOOR
version_fits() {
  version_ge "$2" "$3" || return 1
  [[ $1 != "$COMPOSE_PACKAGE" ]] || ! version_ge "$2" "$COMPOSE_POD_SINCE" || version_ge "$2" "$COMPOSE_IN_POD_KEY_SINCE"
}
