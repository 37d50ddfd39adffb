# run COMMAND...: log and run a command that changes the host; in a dry run only print it.
run() {
  local text
  text=$(printf '%q ' "$@")
  text=${text% }
  if $DRY_RUN; then
    printf '    [dry-run] %s\n' "$text"
    return 0
  fi
  printf '    + %s\n' "$text"
  local rc=0 hints=()
  "$@" || rc=$?
  if ((rc == 0)); then return 0; fi
  if [[ $1 == curl || ($1 == dnf && ${2:-} == config-manager && ${3:-} == --add-repo) ]]; then mapfile -t hints < <(download_hints "$@"); fi
  die "command failed (exit $rc): $text" "${hints[@]}"
}

# download_hints COMMAND...: what to check when a download from a URL failed: a proxy that sudo
# left out (sudoers' env_reset keeps only a few variables, no proxy among them), and the option
# that takes a mirror of the URL's host.
download_hints() {
  local arg url="" host option=""
  for arg; do if [[ $arg == http://* || $arg == https://* ]]; then url=$arg; fi; done
  [[ -n $url ]] || return 0
  host=${url#*://}
  host=${host%%/*}
  if [[ -n ${SUDO_USER:-} && -z ${https_proxy:-}${HTTPS_PROXY:-}${http_proxy:-}${HTTP_PROXY:-} ]]; then
    printf '%s\n' "No proxy is set for this run: sudo leaves proxy variables out. If this host reaches the internet" \
      "through one, run: sudo --preserve-env=https_proxy,http_proxy,no_proxy bash $0 (with the same options)."
  fi
  if [[ $url == "$CUDA_REPO_BASE"* ]]; then option=--cuda-repo
  elif [[ $url == "$TOOLKIT_REPO"* ]]; then option=--toolkit-repo
  elif [[ -n ${DOCKER_REPO:-} && $url == "$DOCKER_REPO"* ]]; then option=--docker-repo
  fi
  if [[ -n $option ]]; then printf '%s\n' "Where $host is blocked or slow from here, $option URL takes a mirror of it (see --help)."; fi
}

# write_file PATH CONTENT: replace a file atomically (printed, not written, in a dry run).
write_file() {
  local path=$1 content=$2
  if $DRY_RUN; then
    printf '    [dry-run] write %s:\n' "$path"
    printf '%s\n' "$content" | sed 's/^/        | /'
    return 0
  fi
  printf '    + write %s\n' "$path"
  mkdir -p "${path%/*}"
  printf '%s\n' "$content" >"$path.new"
  mv -f "$path.new" "$path"
}

# A private scratch folder for downloads (only named, not created, in a dry run).
make_work_dir() {
  if [[ -n $WORK_DIR ]]; then return 0; fi
  if $DRY_RUN; then
    WORK_DIR=$(mktemp -u -d "${TMPDIR:-/tmp}/cuda-scaffold.XXXXXX")
  else
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cuda-scaffold.XXXXXX")
  fi
}
