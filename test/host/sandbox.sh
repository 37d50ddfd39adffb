#!/usr/bin/env bash
# Sandbox for the host bootstrap script: runs it as root in a private mount namespace where
# /etc is an overlay (writes land in the sandbox), /var/log, /usr/src, /opt and /run are the
# sandbox's own folders, and dnf, rpm, systemctl, nvidia-smi, docker, curl, gpg, … are the stand-ins
# in stand-ins.sh. Nothing outside the sandbox folder changes.
#
#   sandbox.sh probe                      exit 0 when this machine can host the sandbox
#   sandbox.sh init DIR [key=value...]    lay out a fake Oracle Linux host in DIR (settings below)
#   sandbox.sh run DIR [--as-nobody] [ARGS...]
#                                         run DIR/bootstrap.sh ARGS inside the sandbox; its calls go
#                                         to DIR/calls.log, or DIR/$SANDBOX_CALLS when that is set
#                                         (so two runs at once keep separate logs)
#   sandbox.sh reboot DIR                 what a reboot changes: newest kernel, modules, services
#
# Settings (init): os=ol8|ol9|ubuntu os_version kernel extra_kernel arch page_size gpu (repeatable)
# default_kernel=KREL (GRUB's default entry, which `grubby --default-kernel` names and a reboot
# boots; the newest kernel by default) no_grubby=1 (no grubby on the host)
# nouveau=1 secure_boot=enabled|disabled|none kernel_cc system_gcc toolset_pulled dkms_version
# uek_repo_enabled epel_enabled_by_release preinstalled=a,b:version fail_install=PKG
# docker_key_fpr toolkit_key_fpr cuda_key_fpr network_driver network_branch (repeatable: an older branch's driver
# the network repository offers too) module_stream dkms_built=1 loaded_driver
# dnf_switch_to=0 (a dnf without `dnf module switch-to`) systemd=0 (not PID 1)
# wsl=1 (WSL 2: lspci lists no NVIDIA device; nvidia-smi is the Windows driver's, loaded_driver its version)
# docker_desktop=1 (docker answers from Docker Desktop's engine)
# (Podman) selinux=Enforcing|Permissive|Disabled sebool=NAME:on|off (repeatable; replaces the default
# pair) sudo_user=NAME subuid=LINE subgid=LINE cdi_spec=PATH:DRIVER (a spec an earlier run left)
# rootless_error=TEXT (rootless Podman, run through runuser as the sudo user, fails with TEXT)
# https_proxy=URL (the run's proxy variable; none otherwise, whatever the test runner has)
# uln=1|off (registered with ULN, its dnf plugin on or off) uln_channels=LABEL,… (the channels it is
# subscribed to besides baseos_latest and appstream; {arch} stands for the machine)
# epel_compose=VERSION (the podman-compose release `dnf upgrade` finds in EPEL; 1.0.6 by default).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly STAND_INS=(dnf rpm systemctl nvidia-smi modprobe lsmod docker nvidia-ctk curl gpg uname lspci mokutil dkms gcc
  podman podman-compose getenforce getsebool setsebool usermod getent getconf runuser grubby)
readonly TRIPWIRES=(dracut reboot shutdown poweroff insmod rmmod yum apt apt-get setenforce needs-restarting)
readonly ETC_DIRS=(modprobe.d docker yum.repos.d dkms pki cdi systemd containers)

die() { printf 'sandbox.sh: %s\n' "$*" >&2; exit 2; }

check_dir() {
  [[ $1 == /* && -d $1 ]] || die "sandbox folder must be an existing absolute path: $1"
  case $1 in /etc/* | /var/log/* | /usr/src/* | /opt/* | /run/*) die "sandbox folder cannot live under a folder it replaces: $1" ;; esac
}

cmd_probe() {
  [[ $EUID -eq 0 ]] || die "not root"
  command -v unshare >/dev/null || die "unshare not found"
  local tmp
  tmp=$(mktemp -d)
  mkdir "$tmp/upper" "$tmp/work"
  if ! unshare -m --propagation private -- mount -t overlay overlay \
    -o "lowerdir=/etc,upperdir=$tmp/upper,workdir=$tmp/work" /etc 2>/dev/null; then
    rm -rf "$tmp"
    die "cannot mount an overlay over /etc in a private mount namespace"
  fi
  rm -rf "$tmp"
}

kernel_packages() { # kernel_packages KREL: the rpm database lines of one installed kernel
  local krel=$1 v r a
  v=${krel%%-*}
  r=${krel#*-}
  a=${r##*.}
  r=${r%.*}
  if [[ $krel == *uek* ]]; then
    echo "kernel-uek $v $r $a"
    [[ $v != 6.* ]] || echo "kernel-uek-core $v $r $a"
  else
    echo "kernel-core $v $r $a"
  fi
}

# The scenario's settings, by key (the last value of a key wins): read without a fork, since
# forks are most of what a sandbox costs.
declare -A SET=()
load_settings() {
  local line
  SET=()
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line != *=* ]] || SET[${line%%=*}]=${line#*=}
  done <"$1"
}

cmd_init() {
  local dir=$1
  shift
  check_dir "$dir"
  # Settings: defaults first, the caller's key=value pairs after (the last one wins).
  local os=ol9 kv
  for kv; do [[ $kv != os=* ]] || os=${kv#os=}; done
  local major=9 gcc=11 version=9.6 kernel=6.12.0-100.28.2.2.el9uek.x86_64
  if [[ $os == ol8 ]]; then major=8 gcc=8 version=8.10 kernel=5.15.0-209.161.7.2.el8uek.x86_64; fi
  local lines=("os=$os" "os_major=$major" "os_version=$version" "kernel=$kernel" "arch=x86_64" "page_size=4096"
    "secure_boot=disabled" "system_gcc=$gcc" "kernel_cc=gcc (GCC) $gcc.5.0 20240719 (Red Hat $gcc.5.0-5.0.1)"
    "toolset_pulled=0" "dkms_version=3.3.0" "uek_repo_enabled=1" "epel_enabled_by_release=1" "epel_compose=1.0.6"
    "docker_key_fpr=060A61C51B558A7F742B77AAC52FEB6B621E9F35"
    "toolkit_key_fpr=C95B321B61E88C1809C4F759DDCAE044F796ECB0"
    "cuda_key_fpr=610C7B14E068A878070DA4E99CD0A493D42D0685"
    "network_driver=580.95.05" "fixtures=${HERE%/test/host}/fixtures/host" "$@")
  SET=()
  for kv in "${lines[@]}"; do [[ $kv != *=* ]] || SET[${kv%%=*}]=${kv#*=}; done
  # Every folder at once (a fork each is what a sandbox costs most).
  local folders=(state tmp fs/etc.upper fs/etc.work fs/var-log fs/usr-src fs/opt fs/run) d
  for d in "${ETC_DIRS[@]}"; do folders+=("fs/etc-d/$d"); done
  # systemd runs as PID 1 (sd_booted: /run/systemd/system exists) unless systemd=0 (a WSL distribution without it).
  if [[ ${SET[systemd]-} != 0 ]]; then folders+=(fs/run/systemd/system); fi
  mkdir -p "${folders[@]/#/$dir/}"
  printf '%s\n' "${lines[@]}" >"$dir/state/settings"

  # The fake /etc/os-release, in the overlay's upper layer.
  case ${SET[os]-} in
    ubuntu)
      printf 'PRETTY_NAME="Ubuntu 22.04.5 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\n' ;;
    *)
      printf 'NAME="Oracle Linux Server"\nVERSION="%s"\nID="ol"\nID_LIKE="fedora"\nVERSION_ID="%s"\nPRETTY_NAME="Oracle Linux Server %s"\n' \
        "${SET[os_version]}" "${SET[os_version]}" "${SET[os_version]}" ;;
  esac >"$dir/fs/etc.upper/os-release"

  # Oracle's own repository definitions, as a fresh install has them.
  local m=${SET[os_major]}
  printf '[ol%s_baseos_latest]\nenabled=1\n\n[ol%s_appstream]\nenabled=1\n\n[ol%s_codeready_builder]\nenabled=0\n' "$m" "$m" "$m" \
    >"$dir/fs/etc-d/yum.repos.d/oracle-linux-ol$m.repo"
  # UEK R6 has no repository of its own on aarch64 (matrix/platform.yaml uekRepositories).
  if [[ $m == 8 && ${SET[arch]} == aarch64 ]]; then
    printf '[ol8_UEKR7]\nenabled=%s\n' "${SET[uek_repo_enabled]}"
  elif [[ $m == 8 ]]; then
    printf '[ol8_UEKR6]\nenabled=0\n\n[ol8_UEKR7]\nenabled=%s\n' "${SET[uek_repo_enabled]}"
  else
    printf '[ol9_UEKR7]\nenabled=0\n\n[ol9_UEKR8]\nenabled=%s\n' "${SET[uek_repo_enabled]}"
  fi >"$dir/fs/etc-d/yum.repos.d/uek-ol$m.repo"
  # Registered with ULN (uln=1, its dnf plugin on; uln=off, plugin off): the registration's file,
  # the plugin's configuration, and the channels, which the stand-in dnf lists as repositories the
  # way the plugin makes them appear (a file here; the yum repositories' files stay, as the release
  # package left them).
  if [[ -n ${SET[uln]-} ]]; then
    mkdir -p "$dir/fs/etc.upper/sysconfig/rhn" "$dir/fs/etc.upper/dnf/plugins"
    echo '<?xml version="1.0"?><params><param><value>ID-1000010000</value></param></params>' >"$dir/fs/etc.upper/sysconfig/rhn/systemid"
    printf '[main]\nenabled = %s\ngpgcheck = 1\n' "$([[ ${SET[uln]} == off ]] && echo 0 || echo 1)" >"$dir/fs/etc.upper/dnf/plugins/spacewalk.conf"
    local channel a=${SET[arch]} channels="ol${m}_${SET[arch]}_baseos_latest,ol${m}_${SET[arch]}_appstream,${SET[uln_channels]-}"
    for channel in ${channels//,/ }; do printf '[%s]\nenabled=1\n\n' "${channel//\{arch\}/$a}"; done >"$dir/fs/etc-d/yum.repos.d/uln-channels.repo"
  fi

  # The rpm database: installed kernels and whatever the scenario preinstalls.
  {
    kernel_packages "${SET[kernel]}"
    if [[ -n ${SET[extra_kernel]-} ]]; then kernel_packages "${SET[extra_kernel]}"; fi
    local pkg preinstalled=${SET[preinstalled]-}
    for pkg in ${preinstalled//,/ }; do
      if [[ $pkg == *:* ]]; then echo "${pkg%%:*} ${pkg#*:} 1.el$m x86_64"; else echo "$pkg 1.0 1.el$m x86_64"; fi
    done
  } >"$dir/state/rpmdb"
  # A driver that is already there: its module stream, its DKMS build, the module in memory.
  if [[ -n ${SET[module_stream]-} ]]; then echo "${SET[module_stream]}" >"$dir/state/module_stream"; fi
  if [[ ${SET[dkms_built]-} == 1 ]]; then echo "${SET[kernel]}" >"$dir/state/dkms_built"; fi
  if [[ -n ${SET[loaded_driver]-} ]]; then echo "${SET[loaded_driver]}" >"$dir/state/loaded_driver"; fi
  : >"$dir/state/services"
  : >"$dir/calls.log"
  # SELinux booleans: container-selinux's two GPU booleans, off as shipped, unless the scenario lists its own.
  # The invoking user's subordinate ids live in the /etc overlay, so the real files are never read.
  # A CDI specification left by an earlier run (for a driver that may be gone).
  local sebool=() subuid=() subgid=() path folder
  for kv in "${lines[@]}"; do
    case $kv in
      sebool=*) kv=${kv#sebool=}; sebool+=("${kv//:/ }") ;;
      subuid=*) subuid+=("${kv#subuid=}") ;;
      subgid=*) subgid+=("${kv#subgid=}") ;;
      cdi_spec=*)
        kv=${kv#cdi_spec=} path=${kv%%:*}
        case $path in /etc/cdi/*) folder=$dir/fs/etc-d/cdi ;; /var/run/cdi/*) folder=$dir/fs/run/cdi ;; *) die "cdi_spec: $path" ;; esac
        [[ -d $folder ]] || mkdir -p "$folder"
        printf 'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n- name: all\ncontainerEdits:\n  mounts:\n  - hostPath: /usr/lib64/libcuda.so.%s\n' "${kv#*:}" >"$folder/${path##*/}"
        ;;
    esac
  done
  ((${#sebool[@]})) || sebool=("container_use_devices off" "container_use_xserver_devices off")
  printf '%s\n' "${sebool[@]}" >"$dir/state/sebool"
  if [[ -n ${SET[sudo_user]-} ]]; then
    printf '%s' "${subuid[@]/%/$'\n'}" >"$dir/fs/etc.upper/subuid"
    printf '%s' "${subgid[@]/%/$'\n'}" >"$dir/fs/etc.upper/subgid"
  fi
  if [[ ${SET[nouveau]-} == 1 ]]; then : >"$dir/state/nouveau_loaded"; fi
  # The stand-ins: one shared folder of links to stand-ins.sh (bin/), named after each command.
  local cmd
  for cmd in "${STAND_INS[@]}" "${TRIPWIRES[@]}"; do
    [[ -L $HERE/bin/$cmd && $HERE/bin/$cmd -ef $HERE/stand-ins.sh ]] || die "test/host/bin/$cmd must be a link to ../stand-ins.sh"
  done
  chmod 755 "$dir"
}

cmd_run() {
  local dir=$1
  shift
  check_dir "$dir"
  [[ -f $dir/bootstrap.sh ]] || die "no $dir/bootstrap.sh to run"
  chmod 755 "$dir/bootstrap.sh"
  local calls=$dir/${SANDBOX_CALLS:-calls.log}
  : >"$calls"
  chmod 666 "$calls"
  local rc=0
  unshare -m --propagation private -- bash "$HERE/sandbox.sh" _inside "$dir" "$@" || rc=$?
  return "$rc"
}

cmd_inside() {
  local dir=$1 as_nobody=false
  shift
  if [[ ${1:-} == --as-nobody ]]; then as_nobody=true; shift; fi
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$dir/fs/etc.upper,workdir=$dir/fs/etc.work" /etc
  local d
  mkdir -p "${ETC_DIRS[@]/#//etc/}"
  for d in "${ETC_DIRS[@]}"; do mount --bind "$dir/fs/etc-d/$d" "/etc/$d"; done
  mount --bind "$dir/fs/var-log" /var/log
  mount --bind "$dir/fs/usr-src" /usr/src
  mount --bind "$dir/fs/opt" /opt
  mount --bind "$dir/fs/run" /run
  export SANDBOX=$dir TMPDIR=$dir/tmp LC_ALL=C STAND_INS_DIR=$HERE/stand-ins.d
  # The user who ran the script with sudo: the scenario's, never the test runner's own.
  unset SUDO_USER
  load_settings "$dir/state/settings"
  if [[ -n ${SET[sudo_user]-} ]]; then export SUDO_USER=${SET[sudo_user]}; fi
  # A proxy only where the scenario sets one (https_proxy=URL), never the test runner's own.
  unset https_proxy http_proxy HTTPS_PROXY HTTP_PROXY no_proxy NO_PROXY
  if [[ -n ${SET[https_proxy]-} ]]; then export https_proxy=${SET[https_proxy]}; fi
  export PATH="$HERE/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  if $as_nobody; then
    exec setpriv --reuid=65534 --regid=65534 --clear-groups -- bash "$dir/bootstrap.sh" "$@"
  fi
  exec bash "$dir/bootstrap.sh" "$@"
}

cmd_reboot() {
  local dir=$1 state=$1/state line
  check_dir "$dir"
  load_settings "$state/settings"
  printf '%s\n' "REBOOT" >>"$dir/calls.log"
  # The host boots GRUB's default entry: default_kernel where set, else its newest kernel.
  local boots=${SET[default_kernel]:-${SET[extra_kernel]-}}
  if [[ -n $boots ]]; then
    echo "kernel=$boots" >>"$state/settings"
    SET[kernel]=$boots
  fi
  # nouveau stays away once it is blacklisted.
  rm -f "$state/nouveau_loaded" "$state/loaded_driver"
  local blacklisted=false conf
  for conf in "$dir"/fs/etc-d/modprobe.d/*.conf; do
    [[ -f $conf ]] || continue
    while IFS= read -r line || [[ -n $line ]]; do [[ $line != "blacklist nouveau" ]] || blacklisted=true; done <"$conf"
  done
  if [[ ${SET[nouveau]-} == 1 ]] && ! $blacklisted; then : >"$state/nouveau_loaded"; fi
  # The NVIDIA module loads at boot when DKMS built it for this kernel and Secure Boot lets it.
  local driver="" built="" name version rest
  while read -r name version rest; do [[ $name != nvidia-driver ]] || driver=$version; done <"$state/rpmdb"
  [[ ! -f $state/dkms_built ]] || read -r built <"$state/dkms_built" || true
  if [[ -n $driver && ! -e $state/nouveau_loaded && $built == "${SET[kernel]}" ]] &&
    [[ ${SET[secure_boot]-} != enabled || -e $state/mok_enrolled ]]; then
    echo "$driver" >"$state/loaded_driver"
  fi
  # Enabled services start; the others stay down.
  local services=() service enabled up
  while read -r service enabled rest; do
    [[ -n $service ]] || continue
    up=inactive
    [[ $enabled != enabled ]] || up=active
    services+=("$service $enabled $up")
  done <"$state/services"
  printf '%s' "${services[@]/%/$'\n'}" >"$state/services"
}

case ${1:-} in
  probe) cmd_probe ;;
  init) shift; cmd_init "$@" ;;
  run) shift; cmd_run "$@" ;;
  _inside) shift; cmd_inside "$@" ;;
  reboot) shift; cmd_reboot "$@" ;;
  *) die "usage: sandbox.sh probe | init DIR [key=value...] | run DIR [--as-nobody] [ARGS...] | reboot DIR" ;;
esac
