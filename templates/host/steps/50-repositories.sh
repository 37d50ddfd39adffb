# --- 2. Repositories --------------------------------------------------------------------------
enable_repo() {
  if repo_enabled "$1"; then ok "repository $1 is enabled"; else run dnf config-manager --set-enabled "$1"; fi
}

# The UEK repository that carries kernel-uek-devel for the running UEK release (UEK_REPOS is
# keyed by the kernel version before the first dash of `uname -r`); nothing for an unknown one.
uek_repo() {
  local release=${KREL%%-*}
  if [[ -n ${UEK_REPOS[$release]:-} ]]; then echo "ol${OL_MAJOR}_${UEK_REPOS[$release]}"; fi
}

setup_repositories() {
  step "Repositories"
  if [[ $DRIVER_PLAN == skip ]]; then ok "driver skipped: CodeReady Builder, EPEL and UEK repositories left as they are"; return 0; fi
  if [[ $DRIVER_PLAN == wsl ]]; then ok "WSL 2: no driver to build, so CodeReady Builder, EPEL and UEK repositories are left as they are"; return 0; fi
  install_missing dnf-plugins-core
  enable_repo "ol${OL_MAJOR}_codeready_builder"
  install_missing "oracle-epel-release-el$OL_MAJOR"
  enable_repo "ol${OL_MAJOR}_developer_EPEL"
  if [[ $KFLAVOUR == UEK ]]; then
    local repo
    repo=$(uek_repo)
    if [[ -n $repo ]]; then
      enable_repo "$repo"
    else
      warn "no known UEK repository for kernel $KREL; kernel-uek-devel must come from the repositories already enabled"
    fi
  fi
}
