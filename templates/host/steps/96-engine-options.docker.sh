# The option only the Docker script has: parse_args hands it each option it does not know, and it
# answers 1 for one that is not Docker's either.
engine_option() {
  [[ $1 == --docker-repo ]] || return 1
  (($# >= 2)) || usage_error "$1 needs a value"
  DOCKER_REPO=${2%/}
}

# Docker has no option of its own to check before the driver's; --docker-repo is a source.
check_engine_options() { :; }

# The sources: Docker's repository, the toolkit's and CUDA's.
check_source_options() {
  check_source_urls --docker-repo "$DOCKER_REPO" --toolkit-repo "$TOOLKIT_REPO" --cuda-repo "$CUDA_REPO_BASE"
  readonly DOCKER_REPO TOOLKIT_REPO CUDA_REPO_BASE
}
