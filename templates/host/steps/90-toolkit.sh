# --- 6. NVIDIA Container Toolkit --------------------------------------------------------------
install_container_toolkit() {
  step "NVIDIA Container Toolkit"
  add_toolkit_repository
  local pkg have need=() newer=()
  for pkg in "${TOOLKIT_PACKAGES[@]}"; do
    have=$(installed_version "$pkg")
    if [[ $have == "$TOOLKIT_VERSION" ]]; then
      continue
    elif [[ -n $have ]] && version_ge "$have" "$TOOLKIT_VERSION"; then
      newer+=("$pkg-$have")
    else
      need+=("$pkg-$TOOLKIT_VERSION")
    fi
  done
  if ((${#newer[@]} > 0)); then
    warn "newer than the pinned $TOOLKIT_VERSION, left in place: ${newer[*]}"
  fi
  if ((${#need[@]} == 0)); then
    ok "installed: ${TOOLKIT_PACKAGES[*]}"
  elif ((${#newer[@]} > 0)); then
    die "the toolkit packages must share one version (${newer[*]} vs $TOOLKIT_VERSION)" \
      "Upgrade all of ${TOOLKIT_PACKAGES[*]} to one version, or regenerate this script with a newer pin."
  else
    run dnf -y install "${need[@]}"
  fi
  connect_toolkit
}

# NVIDIA's .repo file keeps repo_gpgcheck=1; its key is checked here and referenced from disk,
# so dnf never accepts an unverified key on its own.
add_toolkit_repository() {
  local repo=/etc/yum.repos.d/nvidia-container-toolkit.repo url=$TOOLKIT_REPO$TOOLKIT_REPO_FILE
  if [[ -f $repo && -f $TOOLKIT_KEY_FILE ]] && grep -q "^gpgkey=file://$TOOLKIT_KEY_FILE" "$repo" && grep -qF "baseurl=$TOOLKIT_REPO/" "$repo"; then
    ok "NVIDIA's toolkit repository is configured ($repo)"
    return 0
  fi
  make_work_dir
  run curl -fsSL --proto "$CURL_PROTO" "$url" -o "$WORK_DIR/toolkit.repo"
  if $DRY_RUN; then
    log "[dry-run] check the key named by its gpgkey= line against $TOOLKIT_KEY_FINGERPRINT, save it as $TOOLKIT_KEY_FILE,"
    log "[dry-run] and install the .repo file as $repo with gpgkey pointing at that file"
    return 0
  fi
  grep -q '^\[nvidia-container-toolkit\]' "$WORK_DIR/toolkit.repo" || die "$url is not NVIDIA's toolkit .repo file"
  grep -q '^repo_gpgcheck=1' "$WORK_DIR/toolkit.repo" || die "$url no longer sets repo_gpgcheck=1; refusing an unsigned repository"
  to_mirror "$WORK_DIR/toolkit.repo" "$TOOLKIT_REPO_UPSTREAM" "$TOOLKIT_REPO"
  local key_url
  key_url=$(sed -n 's/^gpgkey=//p' "$WORK_DIR/toolkit.repo" | sed -n 1p)
  url_allowed "$key_url" || die "$url names no HTTPS gpgkey (found '${key_url}')"
  fetch_key "$key_url" "$TOOLKIT_KEY_FINGERPRINT" "$WORK_DIR/toolkit.gpg"
  run install -D -m 0644 "$WORK_DIR/toolkit.gpg" "$TOOLKIT_KEY_FILE"
  sed "s|^gpgkey=.*|gpgkey=file://$TOOLKIT_KEY_FILE|" "$WORK_DIR/toolkit.repo" >"$WORK_DIR/toolkit.repo.local"
  run install -D -m 0644 "$WORK_DIR/toolkit.repo.local" "$repo"
}
