# --- 7. SELinux and rootless use --------------------------------------------------------------
secure_containers() {
  step "SELinux and rootless use"
  configure_selinux
  configure_rootless
}

# Where SELinux enforces, confined containers may use the GPU's device nodes only with
# SELINUX_BOOLEAN on ("Failed to initialize NVML: Insufficient Permissions" otherwise); the
# containers keep their labels (no --security-opt label=disable).
configure_selinux() {
  if [[ $SELINUX_MODE == skip ]]; then ok "--selinux-mode skip: SELinux left as it is"; return 0; fi
  local mode
  mode=$(getenforce 2>/dev/null || true)
  case ${mode:-Disabled} in
    Enforcing) ok "SELinux is enforcing: GPU containers need $SELINUX_BOOLEAN" ;;
    Permissive)
      if [[ $SELINUX_MODE == auto ]]; then
        note "SELinux is permissive: GPU access is only logged; --selinux-mode enforcing sets $SELINUX_BOOLEAN before it enforces"
        return 0
      fi
      ok "SELinux is permissive; --selinux-mode enforcing: $SELINUX_BOOLEAN is set now"
      ;;
    *) ok "SELinux is disabled: no boolean to set"; return 0 ;;
  esac
  set_boolean "$SELINUX_BOOLEAN" required
  set_boolean "$SELINUX_GPU_BOOLEAN" optional
}

# set_boolean NAME required|optional: switch an SELinux boolean on for good (setsebool -P).
set_boolean() {
  local state
  if ! state=$(getsebool "$1" 2>/dev/null); then
    if [[ $2 == optional ]]; then note "this host's container-selinux has no $1 (newer releases add it)"; return 0; fi
    die "this host's SELinux policy has no $1 boolean (container-selinux 2.175.0 added it)" \
      "Update it (dnf upgrade container-selinux) and run this script again, or run it with --selinux-mode skip" \
      "and start GPU containers with --security-opt label=disable (which turns SELinux separation off for them)."
  fi
  if [[ $state == *"--> on" ]]; then ok "SELinux boolean $1 is on"; else run setsebool -P "$1" on; fi
}
