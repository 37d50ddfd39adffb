# NVIDIA's packages also blacklist nouveau (modprobe.d and rd.driver.blacklist on the kernel
# command line); this file keeps it blacklisted whatever installed the driver.
blacklist_nouveau() {
  local content="# Written by cuda-scaffold's host bootstrap: the NVIDIA driver needs the GPU to itself.
blacklist nouveau
options nouveau modeset=0"
  if grep -qsx 'blacklist nouveau' /etc/modprobe.d/*.conf; then
    ok "nouveau is blacklisted in /etc/modprobe.d"
  else
    write_file "$NOUVEAU_BLACKLIST" "$content"
  fi
}

# activate_driver FRESH: load the installed driver now, or say why a reboot (or the console) is needed.
activate_driver() {
  local fresh=$1
  if [[ -n $RUNNING_DRIVER ]]; then
    need_reboot "driver $RUNNING_DRIVER is still loaded; the new driver loads after a reboot"
  fi
  if module_loaded nouveau; then
    need_reboot "the nouveau driver holds the GPU; the blacklist takes effect at the next boot"
  fi
  if [[ $SECURE_BOOT == enabled ]] && ! mokutil --test-key "$DKMS_MOK_CERT" 2>/dev/null | grep -q 'already enrolled'; then
    need_reboot "Secure Boot is on and the DKMS signing key is not enrolled yet" \
      "Enrol it: mokutil --import $DKMS_MOK_CERT (choose a one-time password)," \
      "then reboot and confirm the enrolment in the MOK manager on the console."
  fi
  if $DRY_RUN; then
    printf '    [dry-run] modprobe nvidia   (a reboot is requested if it does not load)\n'
    return 0
  fi
  log "+ modprobe nvidia"
  if modprobe nvidia && [[ -n "$(driver_version_running)" ]]; then
    RUNNING_DRIVER=$(driver_version_running)
    ok "driver $RUNNING_DRIVER loaded"
    return 0
  fi
  if $fresh; then need_reboot "the new NVIDIA kernel module does not load without a reboot"; fi
  die "the NVIDIA kernel module does not load (modprobe nvidia failed)" \
    "Check that DKMS built it for $KREL: dkms status; see dmesg for the reason."
}
