# --- 2. Repositories --------------------------------------------------------------------------
# A ULN host's channel for a yum repository id: ULN_CHANNEL_LABEL (ol8_x86_64_codeready_builder).
uln_channel() {
  local label=${ULN_CHANNEL_LABEL//\{MAJOR\}/$OL_MAJOR} repo=${1#"ol${OL_MAJOR}_"}
  label=${label//\{ARCH\}/$ARCH}
  echo "${label//\{REPO\}/$repo}"
}

# Registered with ULN (ULN_SYSTEM_ID) with its dnf plugin on ([main] enabled = 1 in ULN_DNF_PLUGIN).
uln_host() {
  [[ -s $ULN_SYSTEM_ID && -r $ULN_DNF_PLUGIN ]] || return 1
  awk '/^[[:space:]]*\[/ { main = /^[[:space:]]*\[main\]/ }
    main && /^[[:space:]]*enabled[[:space:]]*=/ { v = tolower($0); sub(/^[^=]*=[[:space:]]*/, "", v); on = v ~ /^(1|yes|true|on)([[:space:]#;]|$)/ }
    END { exit !on }' "$ULN_DNF_PLUGIN"
}

# A yum repository, or on a ULN host its channel: this script cannot subscribe a host (that takes
# the ULN user name and token), so a missing channel is collected and named at the end of the step.
ULN=false
ULN_MISSING=()
enable_repo() {
  if $ULN; then
    local channel
    channel=$(uln_channel "$1")
    if repo_enabled "$channel"; then ok "ULN channel $channel is subscribed"; else ULN_MISSING+=("$channel"); fi
  elif repo_enabled "$1"; then ok "repository $1 is enabled"; else run dnf config-manager --set-enabled "$1"; fi
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
  if uln_host; then ULN=true; ok "registered with ULN ($ULN_SYSTEM_ID, $ULN_DNF_PLUGIN): its channels, not yum repositories"; fi
  $ULN || install_missing dnf-plugins-core
  enable_repo "ol${OL_MAJOR}_codeready_builder"
  $ULN || install_missing "oracle-epel-release-el$OL_MAJOR"
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
  ((${#ULN_MISSING[@]} == 0)) || die "this host gets its packages from ULN and is not subscribed to ${ULN_MISSING[*]}" \
    "Subscribe it (ULN user name and token): sudo $ULN_SUBSCRIBE$(printf ' -c %s' "${ULN_MISSING[@]}"), or in $ULN_WEB: Systems, this host, Manage Subscriptions. Then run this script again."
}
