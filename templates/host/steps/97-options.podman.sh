# --- Main -------------------------------------------------------------------------------------
parse_args() {
  while (($# > 0)); do
    if [[ $1 == --*=* ]]; then set -- "${1%%=*}" "${1#*=}" "${@:2}"; fi
    case $1 in
      --driver-rpm | --driver-rpm-sha256 | --driver-source | --driver-branch | --kernel-modules | \
        --toolkit-repo | --cuda-repo | --selinux-mode | --registry-mirror | --registry-ca | --insecure-registry)
        (($# >= 2)) || usage_error "$1 needs a value"
        case $1 in
          --driver-rpm) DRIVER_RPM=$2 ;;
          --driver-rpm-sha256) DRIVER_RPM_SHA256=$2 ;;
          --driver-source) DRIVER_SOURCE=$2 ;;
          --driver-branch) DRIVER_BRANCH=$2 ;;
          --kernel-modules) KERNEL_MODULES=$2 ;;
          --toolkit-repo) TOOLKIT_REPO=${2%/} ;;
          --cuda-repo) CUDA_REPO_BASE=${2%/} ;;
          --selinux-mode) SELINUX_MODE=$2 ;;
          --registry-mirror) REGISTRY_MIRRORS_GIVEN+=("${2%/}") ;;
          --registry-ca) REGISTRY_CAS+=("$2") ;;
          --insecure-registry) INSECURE_REGISTRIES+=("$2") ;;
        esac
        shift 2
        ;;
      --docker-repo)
        usage_error "$1 is a Docker option, and this script sets up Podman (it was generated with --engine podman), which comes from Oracle Linux's own AppStream"
        ;;
      --allow-insecure-mirror) ALLOW_INSECURE_MIRROR=true; CURL_PROTO='=https,http'; shift ;;
      --skip-driver) SKIP_DRIVER=true; shift ;;
      --dry-run) DRY_RUN=true; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage_error "unknown option: $1" ;;
    esac
  done
  [[ $SELINUX_MODE == auto || $SELINUX_MODE == enforcing || $SELINUX_MODE == skip ]] ||
    usage_error "--selinux-mode must be auto, enforcing or skip, not '$SELINUX_MODE'"
  check_driver_options
  check_source_options
  check_registry_options
}

# The sources: URLs that are plain https (or http with --allow-insecure-mirror).
check_source_options() {
  local option value
  for option in "--toolkit-repo $TOOLKIT_REPO" "--cuda-repo $CUDA_REPO_BASE"; do
    value=${option#* }
    url_allowed "$value" || usage_error "${option%% *} '$value' is not an https:// URL (http:// needs --allow-insecure-mirror)"
  done
  readonly TOOLKIT_REPO CUDA_REPO_BASE
}
