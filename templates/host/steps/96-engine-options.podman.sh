# The options only the Podman script knows: parse_args hands it each option it does not know, and it
# answers 1 for one that is not Podman's either.
engine_option() {
  case $1 in
    --selinux-mode)
      (($# >= 2)) || usage_error "$1 needs a value"
      SELINUX_MODE=$2
      ;;
    --docker-repo)
      usage_error "$1 is a Docker option, and this script sets up Podman (it was generated with --engine podman), which comes from Oracle Linux's own AppStream"
      ;;
    *) return 1 ;;
  esac
}

check_engine_options() {
  ! $REPLACE_PODMAN || usage_error "--replace-podman is a Docker option, and this script sets up Podman (it was generated with --engine podman) and keeps it"
  [[ $SELINUX_MODE == auto || $SELINUX_MODE == enforcing || $SELINUX_MODE == skip ]] ||
    usage_error "--selinux-mode must be auto, enforcing or skip, not '$SELINUX_MODE'"
}

# The sources: the toolkit's repository and CUDA's (Podman comes from Oracle Linux's AppStream).
check_source_options() {
  check_source_urls --toolkit-repo "$TOOLKIT_REPO" --cuda-repo "$CUDA_REPO_BASE"
  readonly TOOLKIT_REPO CUDA_REPO_BASE
}
