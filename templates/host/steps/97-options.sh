# --- Main -------------------------------------------------------------------------------------
# The command line. An option that is not both engines' goes to engine_option (96-engine-options.*).
parse_args() {
  while (($# > 0)); do
    if [[ $1 == --*=* ]]; then set -- "${1%%=*}" "${1#*=}" "${@:2}"; fi
    case $1 in
      --driver-rpm | --driver-rpm-sha256 | --driver-source | --driver-branch | --kernel-modules | \
        --toolkit-repo | --cuda-repo | --registry-mirror | --registry-ca | --insecure-registry)
        (($# >= 2)) || usage_error "$1 needs a value"
        case $1 in
          --driver-rpm) DRIVER_RPM=$2 ;;
          --driver-rpm-sha256) DRIVER_RPM_SHA256=$2 ;;
          --driver-source) DRIVER_SOURCE=$2 ;;
          --driver-branch) DRIVER_BRANCH=$2 ;;
          --kernel-modules) KERNEL_MODULES=$2 ;;
          --toolkit-repo) TOOLKIT_REPO=${2%/} ;;
          --cuda-repo) CUDA_REPO_BASE=${2%/} ;;
          --registry-mirror) REGISTRY_MIRRORS_GIVEN+=("${2%/}") ;;
          --registry-ca) REGISTRY_CAS+=("$2") ;;
          --insecure-registry) INSECURE_REGISTRIES+=("$2") ;;
        esac
        shift 2
        ;;
      --allow-insecure-mirror) ALLOW_INSECURE_MIRROR=true; CURL_PROTO='=https,http'; shift ;;
      --skip-driver) SKIP_DRIVER=true; shift ;;
      --dry-run) DRY_RUN=true; shift ;;
      --replace-podman) REPLACE_PODMAN=true; shift ;;
      -h | --help) usage; exit 0 ;;
      *)
        engine_option "$@" || usage_error "unknown option: $1"
        shift 2
        ;;
    esac
  done
  check_engine_options
  check_driver_options
  check_source_options
  check_registry_options
}

# The sources, as OPTION URL pairs: URLs that are plain https (or http with --allow-insecure-mirror).
check_source_urls() {
  while (($# > 0)); do
    url_allowed "$2" || usage_error "$1 '$2' is not an https:// URL (http:// needs --allow-insecure-mirror)"
    shift 2
  done
}
