check_root() {
  [[ $EUID -eq 0 ]] || die "this script must run as root (it installs packages and configures services)" \
    "Run it as: sudo bash ${0##*/} $*"
}

detect_os() {
  [[ -r /etc/os-release ]] || die "cannot read /etc/os-release; only Oracle Linux 8 and 9 are supported"
  local id version_id name
  id=$(os_release_field ID)
  version_id=$(os_release_field VERSION_ID)
  name=$(os_release_field PRETTY_NAME)
  [[ $id == ol ]] || die "this host runs ${name:-$id $version_id} (ID=${id:-unset} in /etc/os-release); this script supports Oracle Linux 8 and 9 (ID=ol) only"
  OL_MAJOR=${version_id%%.*}
  [[ $OL_MAJOR == 8 || $OL_MAJOR == 9 ]] || die "Oracle Linux $version_id is not supported; this script supports Oracle Linux 8 and 9"
  detect_arch
  ok "Oracle Linux $version_id on $ARCH"
  note "$REPOSITORIES_NOTE"
}

detect_kernel() {
  KREL=$(uname -r)
  if $WSL; then KFLAVOUR="WSL 2"; elif [[ $KREL == *uek* ]]; then KFLAVOUR=UEK; else KFLAVOUR=RHCK; fi
  ok "running kernel $KREL ($KFLAVOUR)"
  if $WSL; then return 0; fi
  check_kernel_supported || return 0
  local packages newest default=""
  if [[ $KFLAVOUR == UEK ]]; then packages=(kernel-uek-core kernel-uek); else packages=(kernel-core); fi
  newest=$(rpm -q --qf '%{VERSION}-%{RELEASE}.%{ARCH}\n' "${packages[@]}" 2>/dev/null | grep -v ' ' | sort -V | sed -n '$p' || true)
  # The kernel the host boots is GRUB's default entry: the newest unless an admin pinned another.
  if command -v grubby >/dev/null 2>&1; then default=$(grubby --default-kernel 2>/dev/null || true); fi
  default=${default#/boot/vmlinuz-}
  if [[ -n $default && $default != "$KREL" ]]; then
    need_reboot "the running kernel $KREL is not the default boot kernel ($default)" \
      "The driver must be built for the kernel the host will run; boot into $default first," \
      "or make $KREL the default: grubby --set-default /boot/vmlinuz-$KREL"
  elif [[ -n $default ]]; then
    ok "$KREL is the default boot kernel"
    if [[ -n $newest && $newest != "$KREL" ]]; then note "a newer $KFLAVOUR kernel ($newest) is installed but not the default; the driver is built for $KREL"; fi
  elif [[ -z $newest ]]; then
    warn "could not list the installed $KFLAVOUR kernels (${packages[*]}); assuming $KREL is the newest"
  elif [[ $newest != "$KREL" ]]; then
    need_reboot "the running kernel $KREL is not the newest installed $KFLAVOUR kernel ($newest)" \
      "The driver must be built for the kernel the host will run; boot into $newest first" \
      "(check the default entry with: grubby --default-kernel)."
  else
    ok "$KREL is the newest installed $KFLAVOUR kernel"
  fi
}
