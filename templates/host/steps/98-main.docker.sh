main() {
  parse_args "$@"
  check_root "$@"
  take_lock "$@"
  start_log "$@"
  printf 'cuda-scaffold host bootstrap for: %s\n' "$STACK"
  if $DRY_RUN; then note "dry run: commands are printed, not run; nothing is changed and no log is written"; fi
  preflight
  check_engine_conflicts
  setup_repositories
  install_kernel_headers
  install_driver
  install_fabric_manager
  install_docker
  install_container_toolkit
  verify
}

main "$@"
