cuda_key_id() {
  local id=${CUDA_KEY_FINGERPRINT: -8}
  printf '%s\n' "${id,,}"
}

# install_cuda_key URL: NVIDIA's CUDA repository key, kept only with the pinned fingerprint, saved as
# CUDA_KEY_FILE and imported into rpm before dnf or rpm meets a package signed with it (so dnf never
# imports a key on first use).
install_cuda_key() {
  local url=$1 key_id
  key_id=$(cuda_key_id)
  if [[ -f $CUDA_KEY_FILE ]] && is_installed "gpg-pubkey-$key_id"; then
    ok "NVIDIA's CUDA repository key $key_id is imported ($CUDA_KEY_FILE)"
    return 0
  fi
  make_work_dir
  fetch_key "$url" "$CUDA_KEY_FINGERPRINT" "$WORK_DIR/cuda.gpg"
  run install -D -m 0644 "$WORK_DIR/cuda.gpg" "$CUDA_KEY_FILE"
  if is_installed "gpg-pubkey-$key_id"; then
    ok "NVIDIA's CUDA repository key $key_id is imported"
  else
    run rpm --import "$CUDA_KEY_FILE"
  fi
}

# NVIDIA's network repository, set up like the toolkit's: its .repo file must keep gpgcheck=1, the key
# its gpgkey= line names must have the pinned fingerprint, and the installed .repo file points at the
# checked copy on disk.
add_cuda_network_repository() {
  local repo_file=cuda-rhel$OL_MAJOR.repo
  local repo=/etc/yum.repos.d/$repo_file url
  url="$CUDA_REPO_BASE/rhel$OL_MAJOR/$CUDA_REPO_ARCH/$repo_file"
  if [[ -f $repo && -f $CUDA_KEY_FILE ]] && grep -q "^gpgkey=file://$CUDA_KEY_FILE\$" "$repo" && is_installed "gpg-pubkey-$(cuda_key_id)" &&
    grep -qF "baseurl=$CUDA_REPO_BASE/" "$repo"; then
    ok "NVIDIA's CUDA repository is configured ($repo, key $(cuda_key_id) checked)"
    return 0
  fi
  make_work_dir
  run curl -fsSL --proto "$CURL_PROTO" "$url" -o "$WORK_DIR/cuda.repo"
  if $DRY_RUN; then
    log "[dry-run] check the key named by its gpgkey= line against $CUDA_KEY_FINGERPRINT, save it as $CUDA_KEY_FILE,"
    log "[dry-run] import it with rpm --import, and install the .repo file as $repo with gpgkey pointing at that file"
    return 0
  fi
  grep -q "^\[cuda-rhel$OL_MAJOR-" "$WORK_DIR/cuda.repo" || die "$url is not NVIDIA's CUDA .repo file"
  grep -q '^gpgcheck=1' "$WORK_DIR/cuda.repo" || die "$url no longer sets gpgcheck=1; refusing unsigned packages"
  to_mirror "$WORK_DIR/cuda.repo" "$CUDA_REPO_UPSTREAM" "$CUDA_REPO_BASE"
  local key_url
  key_url=$(sed -n 's/^gpgkey=[[:space:]]*//p' "$WORK_DIR/cuda.repo" | awk 'NR == 1 { print $1 }')
  url_allowed "$key_url" || die "$url names no HTTPS gpgkey (found '${key_url}')"
  install_cuda_key "$key_url"
  sed "s|^gpgkey=.*|gpgkey=file://$CUDA_KEY_FILE|" "$WORK_DIR/cuda.repo" >"$WORK_DIR/cuda.repo.local"
  run install -D -m 0644 "$WORK_DIR/cuda.repo.local" "$repo"
}
