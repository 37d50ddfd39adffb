#!/bin/bash
# Stand-ins for the system commands the host bootstrap calls, used by sandbox.sh.
#
# One file, reached through symlinks named after each command (dnf, rpm, systemctl, …). Every
# call is appended to $SANDBOX/calls.log ($SANDBOX/$SANDBOX_CALLS when set). A test can hold a run
# at one call: state/pause_at holds the call's beginning, and the stand-in that makes that call
# waits (up to 30 s) for state/resume. State lives in $SANDBOX/state (a fake rpm database,
# loaded modules, services, the module stream) and in the sandbox's real-looking paths
# (/etc/yum.repos.d, /usr/src/kernels, /opt/rh, /etc/docker), so a second run sees what the
# first one did and "installs nothing" is a real assertion.
#
# A restricted network: each `blocked=HOST` setting makes that host unreachable (curl times out,
# dnf cannot download from a repository whose baseurl names it, docker cannot pull from Docker Hub
# without a registry mirror when HOST is registry-1.docker.io). Any other host answers: a mirror
# serves the same paths as the host it mirrors, and `mirror_key_fpr=` makes every key that does not
# come from the vendor's own host carry that fingerprint instead (a mirror serving another key).
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal
set -euo pipefail
shopt -s nullglob
: "${SANDBOX:?the stand-ins only run inside test/host/sandbox.sh}"
readonly STATE=$SANDBOX/state
readonly CMD=${0##*/}
readonly CALLS=$SANDBOX/${SANDBOX_CALLS:-calls.log}
printf '%s\n' "$CMD${*:+ $*}" >>"$CALLS"

if [[ -f $STATE/pause_at && "$CMD${*:+ $*}" == "$(cat "$STATE/pause_at")"* ]]; then
  rm -f "$STATE/pause_at"
  : >"$STATE/paused"
  for _ in $(seq 300); do
    [[ ! -e $STATE/resume ]] || break
    sleep 0.1
  done
  rm -f "$STATE/paused" "$STATE/resume"
fi

fail() { printf '%s\n' "$@" >&2; exit 1; }
unsupported() { printf 'stand-in %s: unsupported arguments: %s\n' "$CMD" "$*" >&2; exit 99; }

# --- Scenario settings and flags --------------------------------------------------------------
# Read once per call into arrays: a lookup through sed forked two processes, and a run of the
# bootstrap makes a few hundred lookups. setting KEY: the last value; settings_all KEY: every one.
SETTING_LINES=()
declare -A SETTING=()
while IFS= read -r line || [[ -n $line ]]; do
  SETTING_LINES+=("$line")
  [[ $line != *=* ]] || SETTING[${line%%=*}]=${line#*=}
done <"$STATE/settings"
setting() { [[ -z ${SETTING[$1]+set} ]] || printf '%s\n' "${SETTING[$1]}"; }
settings_all() {
  local line
  for line in "${SETTING_LINES[@]}"; do [[ $line != "$1="* ]] || printf '%s\n' "${line#"$1="}"; done
}
flag() { [[ -e $STATE/$1 ]]; }
os_major() { setting os_major; }
running_kernel() { setting kernel; }

# --- Fake rpm database: "name version release arch" per line ----------------------------------
db_find() { # db_find QUERY -> the matching line
  awk -v q="$1" '{ nvr = $1 "-" $2 "-" $3 }
    q == $1 || q == nvr || q == nvr "." $4 || q == $1 "-" $2 { print; exit }' "$STATE/rpmdb"
}
db_find_all() {
  awk -v q="$1" '{ nvr = $1 "-" $2 "-" $3 }
    q == $1 || q == nvr || q == nvr "." $4 || q == $1 "-" $2 { print }' "$STATE/rpmdb"
}
db_has() { [[ -n "$(db_find "$1")" ]]; }
db_add() { db_del "$1"; printf '%s %s %s %s\n' "$1" "$2" "$3" "${4:-$(setting arch)}" >>"$STATE/rpmdb"; }
db_del() { awk -v n="$1" '$1 != n' "$STATE/rpmdb" >"$STATE/rpmdb.new"; mv "$STATE/rpmdb.new" "$STATE/rpmdb"; }
db_version() { db_find "$1" | awk '{ print $2 }'; }

# Split a kernel release (5.15.0-300.1.el9uek.x86_64) into "version release arch".
split_kernel() { sed -E 's/^([^-]+)-(.+)\.([a-z0-9_]+)$/\1 \2 \3/' <<<"$1"; }

# --- Repositories: the .repo files in the sandbox's /etc/yum.repos.d ---------------------------
repo_enabled() {
  local files=(/etc/yum.repos.d/*.repo)
  ((${#files[@]})) || return 1
  [[ "$(awk -v id="$1" '/^\[/ { sec = substr($0, 2, length($0) - 2) } sec == id && /^enabled=/ { v = substr($0, 9) } END { print v }' "${files[@]}")" == 1 ]]
}
repo_file_of() {
  local f
  for f in /etc/yum.repos.d/*.repo; do
    if grep -qx "\[$1\]" "$f"; then printf '%s\n' "$f"; return 0; fi
  done
  return 1
}
repo_set_enabled() {
  local f
  f=$(repo_file_of "$1") || fail "Error: No matching repo to modify: $1."
  awk -v id="$1" '/^\[/ { sec = substr($0, 2, length($0) - 2) } sec == id && /^enabled=/ { $0 = "enabled=1" } { print }' "$f" >"$f.new"
  mv "$f.new" "$f"
}
enabled_repo_ids() {
  local files=(/etc/yum.repos.d/*.repo)
  ((${#files[@]})) || return 0
  awk '/^\[/ { sec = substr($0, 2, length($0) - 2) } /^enabled=1/ { print sec }' "${files[@]}"
}
# The driver version offered by the enabled NVIDIA repositories (a "# driver=" line in their file).
repo_driver_version() {
  local id f best=""
  for id in $(enabled_repo_ids); do
    [[ $id == cuda-* ]] || continue
    f=$(repo_file_of "$id") || continue
    best=$(sed -n 's/^# driver=//p' "$f")
  done
  printf '%s\n' "$best"
}
need_repo() {
  repo_enabled "$1" || fail "Error: Unable to find a match: $2 (repository $1 is not enabled)"
  local f host
  f=$(repo_file_of "$1") || return 0
  for host in $(sed -n 's|^baseurl=[a-z]*://\([^/]*\).*|\1|p' "$f"); do
    if blocked "$host"; then fail "Error: Failed to download metadata for repo '$1': Curl error (28): Timeout was reached for https://$host/ [Connection timed out after 30000 milliseconds]"; fi
  done
}

# --- The network ------------------------------------------------------------------------------
url_host() { sed -E 's|^[a-z]+://([^/:]*).*|\1|' <<<"$1"; }
blocked() { settings_all blocked | grep -qxF "$1"; }

# --- dnf --------------------------------------------------------------------------------------
uek_repo_for() {
  case $1 in
    5.4.17-*) echo "ol$(os_major)_UEKR6" ;;
    5.15.0-*) echo "ol$(os_major)_UEKR7" ;;
    6.12.0-*) echo "ol$(os_major)_UEKR8" ;;
  esac
}

install_kernel_devel() { # install_kernel_devel NAME KREL
  local name=$1 krel=$2 v r a
  read -r v r a <<<"$(split_kernel "$krel")"
  db_add "$name" "$v" "$r" "$a"
  mkdir -p "/usr/src/kernels/$krel"
  printf 'CONFIG_CC_VERSION_TEXT="%s"\n' "$(setting kernel_cc)" >"/usr/src/kernels/$krel/.config"
  local cc_major
  cc_major=$(sed -n 's/^gcc (GCC) \([0-9]*\)\..*/\1/p' <<<"$(setting kernel_cc)")
  if [[ $name == kernel-uek-devel && $(setting toolset_pulled) == 1 && $cc_major != "$(setting system_gcc)" ]]; then
    install_toolset "gcc-toolset-$cc_major-gcc"
  fi
}

install_toolset() {
  local n=${1#gcc-toolset-}
  n=${n%-gcc}
  db_add "$1" "$n.2.1" "7.el$(os_major)"
  mkdir -p "/opt/rh/gcc-toolset-$n"
  printf 'export PATH=/opt/rh/gcc-toolset-%s/root/usr/bin:$PATH\n' "$n" >"/opt/rh/gcc-toolset-$n/enable"
}

# DKMS builds the module at install time; it succeeds when it uses the kernel's compiler.
dkms_build() {
  local krel cc_major sys conf env_file
  krel=$(running_kernel)
  cc_major=$(sed -n 's/^gcc (GCC) \([0-9]*\)\..*/\1/p' /usr/src/kernels/"$krel"/.config 2>/dev/null || true)
  [[ -d /usr/src/kernels/$krel ]] || { echo "Error! Kernel headers for $krel cannot be found." >&2; return 0; }
  sys=$(setting system_gcc)
  if [[ -z $cc_major || $cc_major == "$sys" ]]; then echo "$krel" >"$STATE/dkms_built"; return 0; fi
  for conf in /etc/dkms/framework.conf.d/*.conf; do
    env_file=$(sed -n 's/^build_environment="\(.*\)"$/\1/p' "$conf")
    if [[ $env_file == "/opt/rh/gcc-toolset-$cc_major/enable" && -f $env_file ]] && version_ge "$(setting dkms_version)" 3.3.0; then
      echo "$krel" >"$STATE/dkms_built"
      return 0
    fi
  done
  echo "warning: the compiler differs from the one used to build the kernel; Error! Bad return status for module build" >&2
}

version_ge() { [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | sed -n 1p)" == "$2" ]]; }

install_driver() { # install_driver open|proprietary [META]
  local flavour=$1 meta=${2:-} version
  version=$(repo_driver_version)
  [[ -n $version ]] || fail "Error: Unable to find a match: ${meta:-nvidia-driver} (no NVIDIA repository enabled)"
  db_has dkms || fail "Error: Problem: package kmod-nvidia-$flavour-dkms requires dkms, but none of the providers can be installed"
  # dnf -y would import the key named by the repository on first use; here it must be imported already.
  db_has "gpg-pubkey-$(cuda_key_id)" || fail "Error: GPG check FAILED (NVIDIA's CUDA key $(cuda_key_id) is not imported; the stand-in never imports keys on first use)"
  db_add nvidia-driver "$version" "1.el$(os_major)"
  if [[ $flavour == open ]]; then
    db_del kmod-nvidia-latest-dkms
    db_add kmod-nvidia-open-dkms "$version" "1.el$(os_major)"
  else
    db_del kmod-nvidia-open-dkms
    db_add kmod-nvidia-latest-dkms "$version" "1.el$(os_major)"
  fi
  if [[ -n $meta ]]; then db_add "$meta" "$version" "1.el$(os_major)"; fi
  dkms_build
}

cuda_key_id() { local fpr; fpr=$(setting cuda_key_fpr); fpr=${fpr: -8}; echo "${fpr,,}"; }

stream_flavour() { if [[ $1 == *open* ]]; then echo open; else echo proprietary; fi; }

dnf_module() {
  local action=$1 spec=$2 stream current
  [[ $spec == nvidia-driver:* ]] || unsupported module "$@"
  stream=${spec#nvidia-driver:}
  [[ -n "$(repo_driver_version)" ]] || fail "Error: Problems in request: missing groups or modules: $spec"
  current=$(cat "$STATE/module_stream" 2>/dev/null || true)
  if [[ $stream =~ ^([0-9]+)- && ${BASH_REMATCH[1]} != "$(repo_driver_version | cut -d. -f1)" ]]; then
    fail "Error: Problems in request: missing groups or modules: $spec"
  fi
  case $action in
    enable | install)
      if [[ -n $current && $current != "$stream" ]]; then
        fail "The operation would result in switching of module 'nvidia-driver' stream '$current' to stream '$stream'" \
          "Error: It is not possible to switch enabled streams of a module unless explicitly enabled via configuration option module_stream_switch."
      fi
      echo "$stream" >"$STATE/module_stream"
      if [[ $action == install ]]; then install_driver "$(stream_flavour "$stream")"; fi
      ;;
    switch-to)
      echo "$stream" >"$STATE/module_stream"
      install_driver "$(stream_flavour "$stream")"
      ;;
    *) unsupported module "$@" ;;
  esac
}

dnf_install() {
  local spec name v r m fail_pkg
  m=$(os_major)
  fail_pkg=$(setting fail_install)
  for spec; do
    if [[ -n $fail_pkg && $spec == "$fail_pkg" ]]; then fail "Error: Transaction test error: $spec (simulated failure)"; fi
  done
  for spec; do
    case $spec in
      dnf-plugins-core) db_add "$spec" 4.3.0 "21.0.1.el$m" noarch ;;
      oracle-epel-release-el*)
        [[ $spec == "oracle-epel-release-el$m" ]] || fail "Error: Unable to find a match: $spec"
        db_add "$spec" 1.0 "5.el$m"
        printf '[ol%s_developer_EPEL]\nname=EPEL for Oracle Linux %s\nbaseurl=https://yum.oracle.com/repo/OracleLinux/OL%s/developer/EPEL/$basearch/\ngpgcheck=1\nenabled=%s\n' \
          "$m" "$m" "$m" "$(setting epel_enabled_by_release)" >"/etc/yum.repos.d/oracle-epel-ol$m.repo"
        ;;
      kernel-uek-devel-*)
        local krel=${spec#kernel-uek-devel-}
        need_repo "$(uek_repo_for "$krel")" "$spec"
        install_kernel_devel kernel-uek-devel "$krel"
        ;;
      kernel-devel-matched)
        [[ $m == 9 ]] || fail "Error: Unable to find a match: kernel-devel-matched"
        need_repo "ol${m}_appstream" "$spec"
        db_add kernel-devel-matched "$(split_kernel "$(running_kernel)" | awk '{ print $1 }')" 1
        install_kernel_devel kernel-devel "$(running_kernel)"
        ;;
      kernel-devel-*) need_repo "ol${m}_baseos_latest" "$spec"; install_kernel_devel kernel-devel "${spec#kernel-devel-}" ;;
      kernel-headers) db_add kernel-headers 1 1 ;;
      dkms) need_repo "ol${m}_developer_EPEL" dkms; db_add dkms "$(setting dkms_version)" "1.el$m" noarch ;;
      gcc-toolset-*-gcc) need_repo "ol${m}_appstream" "$spec"; install_toolset "$spec" ;;
      nvidia-open | cuda-drivers)
        local stream
        stream=$(cat "$STATE/module_stream" 2>/dev/null || true)
        [[ -n $stream ]] || fail "Error: Unable to find a match: $spec (module nvidia-driver is not enabled)"
        if [[ $spec == nvidia-open && $(stream_flavour "$stream") != open ]]; then fail "Error: nvidia-open is filtered out by modular filtering (stream $stream)"; fi
        if [[ $spec == cuda-drivers && $(stream_flavour "$stream") != proprietary ]]; then fail "Error: cuda-drivers conflicts with the $stream stream"; fi
        install_driver "$(stream_flavour "$stream")" "$spec"
        ;;
      docker-ce | docker-ce-cli | containerd.io | docker-buildx-plugin | docker-compose-plugin)
        need_repo docker-ce-stable "$spec"
        db_has gpg-pubkey-621e9f35 || fail "Error: GPG check FAILED (Docker's key is not imported)"
        if db_has runc || db_has podman; then
          fail "Error:" " Problem: problem with installed package podman-4.9.4-1.0.1.module+el$m" \
            "  - package podman requires runc >= 1.0.0-57, but none of the providers can be installed" \
            "  - package containerd.io-1.7.27-3.1.el$m obsoletes runc provided by runc-1.1.12-1.0.1.el$m"
        fi
        db_add "$spec" 28.3.3 "1.el$m"
        ;;
      podman)
        need_repo "ol${m}_appstream" podman
        if db_has containerd.io; then
          fail "Error:" " Problem: package podman-4.9.4-1.0.1.el$m requires runc >= 1.0.0-57, but none of the providers can be installed" \
            "  - package containerd.io-1.7.27-3.1.el$m obsoletes runc provided by runc-1.1.12-1.0.1.el$m"
        fi
        db_add podman 4.9.4 "1.0.1.el$m"
        db_add runc 1.1.12 "1.0.1.el$m"
        ;;
      podman-compose) need_repo "ol${m}_developer_EPEL" podman-compose; db_add podman-compose 1.0.6 "6.el$m" noarch ;;
      nvidia-container-toolkit-* | libnvidia-container-tools-* | libnvidia-container1-*)
        need_repo nvidia-container-toolkit "$spec"
        local key
        key=$(sed -n 's|^gpgkey=file://||p' /etc/yum.repos.d/nvidia-container-toolkit.repo | sed -n 1p)
        [[ -n $key && -f $key ]] || fail "Error: Failed to download metadata for repo 'nvidia-container-toolkit': repomd.xml GPG signature verification error: Bad GPG signature"
        [[ $spec =~ ^(.+)-([0-9][0-9.]*)-([0-9]+)$ ]] || fail "Error: Unable to find a match: $spec"
        name=${BASH_REMATCH[1]} v=${BASH_REMATCH[2]} r=${BASH_REMATCH[3]}
        [[ $v == 1.17.8 || $v == 1.18.0 ]] || fail "Error: Unable to find a match: $spec"
        db_add "$name" "$v" "$r"
        ;;
      *) fail "Error: Unable to find a match: $spec" ;;
    esac
  done
  echo "Complete!"
}

dnf_remove() {
  local spec
  for spec; do db_del "$spec"; done
  echo "Complete!"
}

# Only Docker's repository is added this way; NVIDIA's CUDA repository is fetched with curl and checked.
# A mirror's copy of docker-ce.repo names download.docker.com, as Docker's own does.
dnf_add_repo() {
  local url=$1 file=${1##*/} id
  db_has dnf-plugins-core || fail "No such command: config-manager."
  if blocked "$(url_host "$url")"; then fail "Curl error (28): Timeout was reached for $url [Connection timed out after 30000 milliseconds]"; fi
  case $url in
    https://*/linux/rhel/docker-ce.repo | http://*/linux/rhel/docker-ce.repo) id=docker-ce-stable ;;
    *) fail "Curl error (22): HTTP response code said error for $url [The requested URL returned error: 404]" ;;
  esac
  mkdir -p /etc/yum.repos.d
  printf '[%s]\nname=%s\nbaseurl=%s\ngpgcheck=1\nenabled=1\ngpgkey=%s\n' "$id" "$id" \
    'https://download.docker.com/linux/rhel/$releasever/$basearch/stable' https://download.docker.com/linux/rhel/gpg >"/etc/yum.repos.d/$file"
  echo "Adding repo from: $url"
}

stand_in_dnf() {
  local args=() a
  for a; do
    case $a in -y | -q | --quiet | --assumeyes) ;; *) args+=("$a") ;; esac
  done
  set -- "${args[@]}"
  case ${1:-} in
    repolist)
      echo "repo id                         repo name"
      enabled_repo_ids | sed 's/$/                   (name)/'
      ;;
    config-manager)
      db_has dnf-plugins-core || fail "No such command: config-manager. Please use /usr/bin/dnf --help"
      case ${2:-} in
        --set-enabled) shift 2; for a; do repo_set_enabled "$a"; done ;;
        --add-repo) dnf_add_repo "$3" ;;
        *) unsupported "$@" ;;
      esac
      ;;
    install) shift; dnf_install "$@" ;;
    remove) shift; dnf_remove "$@" ;;
    module) shift; dnf_module "$@" ;;
    clean) echo "files removed" ;;
    makecache)
      [[ ${2:-} == --repo ]] && { repo_enabled "$3" || fail "Error: Unknown repo: '$3'"; }
      echo "Metadata cache created."
      ;;
    *) unsupported "$@" ;;
  esac
}

# --- rpm --------------------------------------------------------------------------------------
local_repo_name() { # the package name inside NVIDIA's local repository rpm, from its file name
  [[ ${1##*/} =~ ^(cuda-repo-rhel[0-9]+-[0-9]+-[0-9]+-local)-[0-9.]+_([0-9.]+)-[0-9]+\.[a-z0-9_]+\.rpm$ ]] || return 1
  printf '%s %s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
}

rpm_query() {
  local qf='%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n' rc=0 q lines n v r a out
  if [[ ${1:-} == --qf || ${1:-} == --queryformat ]]; then qf=$2; shift 2; fi
  for q; do
    lines=$(db_find_all "$q")
    if [[ -z $lines ]]; then echo "package $q is not installed"; rc=1; continue; fi
    while read -r n v r a; do
      out=${qf//%\{NAME\}/$n}
      out=${out//%\{VERSION\}/$v}
      out=${out//%\{RELEASE\}/$r}
      out=${out//%\{ARCH\}/$a}
      printf '%b' "$out"
    done <<<"$lines"
  done
  return "$rc"
}

# rpm --checksig -v of a stand-in rpm file: a "fake-signature: KEYID" line signs it (add BAD for a
# signature that does not match the content); no such line: unsigned. rpm 4.14/4.16 wording and
# exit status: an unsigned package passes (digests only), NOKEY and BAD fail.
rpm_checksig() {
  local file=$1 sig key state
  [[ -f $file ]] || fail "error: open of $file failed: No such file or directory"
  sig=$(sed -n 's/^fake-signature: //p' "$file" | sed -n 1p)
  printf '%s:\n' "$file"
  if [[ -z $sig ]]; then
    printf '    Header SHA256 digest: OK\n    Header SHA1 digest: OK\n    Payload SHA256 digest: OK\n    MD5 digest: OK\n'
    return 0
  fi
  read -r key state <<<"$sig"
  if [[ $state == BAD ]]; then
    state=BAD
  elif db_has "gpg-pubkey-${key,,}"; then
    state=OK
  else
    state=NOKEY
  fi
  printf '    Header V4 RSA/SHA512 Signature, key ID %s: %s\n' "${key,,}" "$state"
  printf '    Header SHA256 digest: OK\n    Header SHA1 digest: OK\n    Payload SHA256 digest: %s\n' "$([[ $state == BAD ]] && echo BAD || echo OK)"
  printf '    V4 RSA/SHA512 Signature, key ID %s: %s\n    MD5 digest: OK\n' "${key,,}" "$state"
  [[ $state == OK ]]
}

stand_in_rpm() {
  case ${1:-} in
    -q) shift; rpm_query "$@" ;;
    -qp)
      shift
      local qf=$2 file=$3 parsed
      [[ $1 == --qf && -f $file ]] || unsupported -qp "$@"
      parsed=$(local_repo_name "$file") || fail "error: $file: not an rpm package (or package manifest)"
      printf '%b' "${qf//%\{NAME\}/${parsed%% *}}"
      ;;
    --install | -i | -ivh)
      local file=$2 parsed name driver m
      parsed=$(local_repo_name "$file") || fail "error: $file: not an rpm package"
      name=${parsed%% *} driver=${parsed#* }
      db_has "$name" && fail "package $name is already installed"
      db_add "$name" "${driver}" 1
      mkdir -p /etc/yum.repos.d
      printf '# driver=%s\n[%s]\nname=%s\nbaseurl=file:///var/%s\nenabled=1\ngpgcheck=1\n' "$driver" "$name" "$name" "$name" >"/etc/yum.repos.d/$name.repo"
      ;;
    -K | --checksig)
      shift
      [[ ${1:-} == -v ]] && shift
      rpm_checksig "$1"
      ;;
    --import)
      local fpr
      fpr=$(sed -n 's/^fake-fingerprint: //p' "$2")
      [[ -n $fpr ]] || fail "error: $2: import read failed(2)."
      local id=${fpr: -8}
      db_add "gpg-pubkey-${id,,}" "${id,,}" 5e9b1a2c "(none)"
      ;;
    *) unsupported "$@" ;;
  esac
}

# --- Services, modules, GPU -------------------------------------------------------------------
service_state() { awk -v s="$1" '$1 == s { print $2, $3 }' "$STATE/services"; }
service_set() {
  awk -v s="$1" '$1 != s' "$STATE/services" >"$STATE/services.new"
  printf '%s %s %s\n' "$1" "$2" "$3" >>"$STATE/services.new"
  mv "$STATE/services.new" "$STATE/services"
}

# The units a package or a written unit file brings: Docker's, the toolkit's nvidia-cdi-refresh
# (1.18.0 and later), and any unit file in /etc/systemd/system.
unit_known() {
  case $1 in
    docker) db_has docker-ce ;;
    nvidia-cdi-refresh | nvidia-cdi-refresh.path) db_has nvidia-container-toolkit && version_ge "$(db_version nvidia-container-toolkit)" 1.18.0 ;;
    *) [[ -f /etc/systemd/system/$1.service ]] ;;
  esac
}

stand_in_systemctl() {
  local verb=$1 unit enabled active
  shift
  [[ ${1:-} == --quiet ]] && shift
  [[ ${1:-} == --now ]] && { verb="$verb-now"; shift; }
  [[ $verb != daemon-reload ]] || return 0
  unit=${1%.service}
  read -r enabled active <<<"$(service_state "$unit")"
  case $verb in
    is-enabled) [[ $enabled == enabled ]] ;;
    is-active) [[ $active == active ]] ;;
    enable | enable-now | start | restart)
      unit_known "$unit" || fail "Failed to $verb $unit.service: Unit $unit.service not found."
      [[ $verb == enable* ]] && enabled=enabled
      [[ $verb == enable ]] || active=active
      service_set "$unit" "${enabled:-disabled}" "${active:-inactive}"
      ;;
    *) unsupported "$verb" "$@" ;;
  esac
}

cuda_for_driver() {
  case ${1%%.*} in
    47?) echo 11.4 ;; 53?) echo 12.2 ;; 5[5-6]?) echo 12.4 ;; 57?) echo 12.8 ;; 58? | 59?) echo 13.0 ;; *) echo 12.0 ;;
  esac
}

stand_in_nvidia_smi() {
  if ! db_has nvidia-driver; then echo "bash: nvidia-smi: command not found" >&2; exit 127; fi
  if [[ ! -s $STATE/loaded_driver ]]; then
    echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
    exit 9
  fi
  local driver
  driver=$(cat "$STATE/loaded_driver")
  if [[ ${1:-} == -L ]]; then
    settings_all gpu | awk '{ printf "GPU %d: %s\n", NR - 1, $0 }'
    return 0
  fi
  if [[ ${1:-} == --query-gpu=driver_version ]]; then
    settings_all gpu | while read -r _; do echo "$driver"; done
    return 0
  fi
  echo "| NVIDIA-SMI $driver    Driver Version: $driver    CUDA Version: $(cuda_for_driver "$driver") |"
  settings_all gpu | sed 's/^/|  GPU: /'
}

stand_in_modprobe() {
  [[ ${1:-} == nvidia ]] || unsupported "$@"
  db_has kmod-nvidia-open-dkms || db_has kmod-nvidia-latest-dkms || fail "modprobe: FATAL: Module nvidia not found in directory /lib/modules/$(running_kernel)"
  [[ "$(cat "$STATE/dkms_built" 2>/dev/null)" == "$(running_kernel)" ]] || fail "modprobe: FATAL: Module nvidia not found in directory /lib/modules/$(running_kernel)"
  flag nouveau_loaded && fail "modprobe: ERROR: could not insert 'nvidia': No such device"
  if [[ $(setting secure_boot) == enabled ]] && ! flag mok_enrolled; then fail "modprobe: ERROR: could not insert 'nvidia': Key was rejected by service"; fi
  db_version nvidia-driver >"$STATE/loaded_driver"
}

stand_in_lsmod() {
  echo "Module                  Size  Used by"
  if flag nouveau_loaded; then echo "nouveau              2433024  0"; fi
  if [[ -s $STATE/loaded_driver ]]; then echo "nvidia              9719808  0"; fi
}

stand_in_docker() {
  case ${1:-} in
    --version) echo "Docker version 28.3.3, build 980b856"; return 0 ;;
    run) ;;
    *) unsupported "$@" ;;
  esac
  local enabled active
  read -r enabled active <<<"$(service_state docker)"
  [[ $active == active ]] || fail "docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
  if ! grep -qs '"nvidia"' /etc/docker/daemon.json || ! db_has nvidia-container-toolkit; then
    echo 'docker: Error response from daemon: could not select device driver "" with capabilities: [[gpu]].' >&2
    exit 125
  fi
  if blocked registry-1.docker.io && ! grep -qs '"registry-mirrors"' /etc/docker/daemon.json; then
    echo 'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers).' >&2
    exit 125
  fi
  [[ -s $STATE/loaded_driver ]] || { echo "nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown" >&2; exit 125; }
  [[ " $* " == *" --gpus all "* ]] || unsupported "$@"
  stand_in_nvidia_smi
}

stand_in_nvidia_ctk() {
  case "$*" in
    --version) echo "NVIDIA Container Toolkit CLI version $(db_version nvidia-container-toolkit)" ;;
    "runtime configure --runtime=docker")
      db_has nvidia-container-toolkit || fail "bash: nvidia-ctk: command not found"
      mkdir -p /etc/docker
      # Like the real one: the runtime is added, every other key the file has is kept.
      python3 - /etc/docker/daemon.json <<'PY'
import json, os, sys
path = sys.argv[1]
config = json.load(open(path)) if os.path.exists(path) and open(path).read().strip() else {}
config.setdefault("runtimes", {})["nvidia"] = {"args": [], "path": "nvidia-container-runtime"}
open(path, "w").write(json.dumps(config, indent=4) + "\n")
PY
      echo "INFO Wrote updated config to /etc/docker/daemon.json"
      ;;
    "cdi generate --output="*)
      db_has nvidia-container-toolkit || fail "bash: nvidia-ctk: command not found"
      [[ -s $STATE/loaded_driver ]] || fail 'level=error msg="failed to generate CDI spec: failed to create device CDI specs: failed to initialize NVML: ERROR_LIBRARY_NOT_FOUND"'
      local out=${3#--output=}
      mkdir -p "${out%/*}"
      printf 'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n- name: all\ncontainerEdits:\n  mounts:\n  - hostPath: /usr/lib64/libcuda.so.%s\n' "$(cat "$STATE/loaded_driver")" >"$out"
      echo "INFO Generated CDI spec with version 0.5.0"
      ;;
    *) unsupported "$@" ;;
  esac
}

# --- Podman, SELinux, users -------------------------------------------------------------------
selinux_mode() { local m; m=$(setting selinux); echo "${m:-Enforcing}"; }
sebool_state() { awk -v b="$1" '$1 == b { print $2 }' "$STATE/sebool"; }

# podman run --rm --device nvidia.com/gpu=all IMAGE nvidia-smi, as Podman would fail it: a short
# image name (short-name-mode enforcing, no TTY), no CDI spec, a spec for another driver (the
# newest folder wins: /var/run/cdi over /etc/cdi), SELinux enforcing without container_use_devices.
stand_in_podman() {
  db_has podman || { echo "bash: podman: command not found" >&2; exit 127; }
  case ${1:-} in
    --version) echo "podman version $(db_version podman)"; return 0 ;;
    run) ;;
    *) unsupported "$@" ;;
  esac
  [[ "$*" =~ ^run\ --rm\ --device\ nvidia\.com/gpu=all\ ([^ ]+)\ nvidia-smi(\ -L)?$ ]] || unsupported "$@"
  local image=${BASH_REMATCH[1]} list=${BASH_REMATCH[2]} spec="" f
  [[ ${image%%/*} == *.* ]] || fail "Error: short-name resolution enforced but cannot prompt without a TTY"
  # Docker Hub unreachable: the pull works only through a docker.io mirror in a registries.conf drop-in.
  if [[ $image == docker.io/* ]] && blocked registry-1.docker.io &&
    ! cat /etc/containers/registries.conf.d/*.conf 2>/dev/null | grep -q '^\[\[registry\.mirror\]\]'; then
    fail "Error: initializing source docker://$image: pinging container registry registry-1.docker.io: Get \"https://registry-1.docker.io/v2/\": dial tcp: i/o timeout"
  fi
  for f in /etc/cdi/*.yaml /var/run/cdi/*.yaml; do
    if grep -q '^kind: nvidia.com/gpu$' "$f"; then spec=$f; fi
  done
  [[ -n $spec ]] || fail "Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all"
  [[ -s $STATE/loaded_driver ]] || fail "Error: setting up CDI devices: failed to inject devices: no NVIDIA driver"
  local driver
  driver=$(cat "$STATE/loaded_driver")
  grep -qF ".so.$driver" "$spec" || fail "Error: crun: cannot stat \`$(sed -n 's/.*hostPath: //p' "$spec" | sed -n 1p)\`: No such file or directory: OCI runtime attempted to invoke a command that was not found"
  if [[ $(selinux_mode) == Enforcing && $(sebool_state container_use_devices) != on ]]; then
    echo "Failed to initialize NVML: Insufficient Permissions"
    exit 9
  fi
  if [[ -n ${STAND_IN_RUNUSER:-} ]]; then rootless_podman "$STAND_IN_RUNUSER"; fi
  stand_in_nvidia_smi ${list:+-L}
}

# Rootless Podman needs the user's subordinate ids; `rootless_error=TEXT` makes it fail with TEXT
# (whatever a real host's user session may lack), and the environment runuser passes is recorded.
rootless_podman() {
  printf '%s\n' "XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-} DBUS_SESSION_BUS_ADDRESS=${DBUS_SESSION_BUS_ADDRESS:-} PWD=$PWD" >"$STATE/rootless_env"
  grep -qs "^$1:" /etc/subuid || fail "Error: cannot find UID/GID for user $1: no subuid ranges found for user \"$1\" in /etc/subuid"
  if [[ -n $(setting rootless_error) ]]; then fail "$(setting rootless_error)"; fi
}

# runuser -u USER -- COMMAND...: runs COMMAND as USER (only the scenario's sudo user exists).
stand_in_runuser() {
  [[ ${1:-} == -u && ${3:-} == -- && $# -gt 3 ]] || unsupported "$@"
  [[ $2 == "$(setting sudo_user)" ]] || fail "runuser: user $2 does not exist or the user entry does not contain all the required fields"
  local user=$2
  shift 3
  STAND_IN_RUNUSER=$user exec "$@"
}

stand_in_getenforce() { selinux_mode; }

stand_in_getsebool() {
  [[ $(selinux_mode) != Disabled ]] || fail "getsebool:  SELinux is disabled"
  local state
  state=$(sebool_state "$1")
  [[ -n $state ]] || fail "Error getting active value for $1"
  echo "$1 --> $state"
}

stand_in_setsebool() {
  [[ ${1:-} == -P && ${3:-} == on ]] || unsupported "$@"
  [[ -n $(sebool_state "$2") ]] || fail "Could not change boolean $2"
  awk -v b="$2" '$1 == b { $2 = "on" } { print }' "$STATE/sebool" >"$STATE/sebool.new"
  mv "$STATE/sebool.new" "$STATE/sebool"
}

stand_in_getent() {
  [[ ${1:-} == passwd && -n ${2:-} && $2 == "$(setting sudo_user)" ]] || exit 2
  echo "$2:x:1000:1000::/home/$2:/bin/bash"
}

stand_in_usermod() {
  local user=${*: -1} range file
  while (($# > 1)); do
    case $1 in
      --add-subuids) file=/etc/subuid ;;
      --add-subgids) file=/etc/subgid ;;
      *) unsupported "$@" ;;
    esac
    range=$2
    printf '%s:%s:%s\n' "$user" "${range%-*}" "$((${range#*-} - ${range%-*} + 1))" >>"$file"
    shift 2
  done
}

# --- Downloads and keys -----------------------------------------------------------------------
cuda_repo_arch() { if [[ $(setting arch) == aarch64 ]]; then echo sbsa; else setting arch; fi; }
cuda_repo_url() { echo "https://developer.download.nvidia.com/compute/cuda/repos/rhel$(os_major)/$(cuda_repo_arch)"; }

fake_key() { printf -- '-----BEGIN PGP PUBLIC KEY BLOCK-----\nfake-fingerprint: %s\n-----END PGP PUBLIC KEY BLOCK-----\n' "$1"; }

stand_in_curl() {
  local url="" out="" a prev=""
  for a; do
    if [[ $prev == -o ]]; then out=$a; elif [[ $a == https://* || $a == http://* ]]; then url=$a; fi
    prev=$a
  done
  [[ -n $url && -n $out ]] || unsupported "$@"
  local host
  host=$(url_host "$url")
  if blocked "$host"; then echo "curl: (28) Failed to connect to $host port 443 after 30000 ms: Timeout was reached" >&2; exit 28; fi
  # A key from anywhere but the vendor's own host: what the mirror serves (mirror_key_fpr), else the vendor's key.
  key_for() { if [[ $host != "$2" && -n $(setting mirror_key_fpr) ]]; then setting mirror_key_fpr; else setting "$1"; fi; }
  case $url in
    */linux/rhel/gpg) fake_key "$(key_for docker_key_fpr download.docker.com)" >"$out" ;;
    */libnvidia-container/gpgkey) fake_key "$(key_for toolkit_key_fpr nvidia.github.io)" >"$out" ;;
    */libnvidia-container/stable/rpm/nvidia-container-toolkit.repo) cp "$(setting fixtures)/nvidia-container-toolkit.repo" "$out" ;;
    */rhel"$(os_major)/$(cuda_repo_arch)"/D42D0685.pub) fake_key "$(key_for cuda_key_fpr developer.download.nvidia.com)" >"$out" ;;
    */rhel"$(os_major)/$(cuda_repo_arch)/cuda-rhel$(os_major)".repo)
      # NVIDIA's .repo file (the stand-in dnf reads the driver its repository offers from the comment).
      local id
      id=cuda-rhel$(os_major)-$(cuda_repo_arch)
      printf '# driver=%s\n[%s]\nname=%s\nbaseurl=%s\nenabled=1\ngpgcheck=1\ngpgkey=%s/D42D0685.pub\n' \
        "$(setting network_driver)" "$id" "$id" "$(cuda_repo_url)" "$(cuda_repo_url)" >"$out"
      ;;
    *) echo "curl: (22) The requested URL returned error: 404" >&2; exit 22 ;;
  esac
}

stand_in_gpg() {
  [[ " $* " == *" --show-keys "* ]] || unsupported "$@"
  local file=${*: -1} fpr
  fpr=$(sed -n 's/^fake-fingerprint: //p' "$file")
  [[ -n $fpr ]] || { echo "gpg: no valid OpenPGP data found." >&2; exit 2; }
  printf 'pub:-:4096:1:%s:1506556800:::-:::scESC::::::23::0:\nfpr:::::::::%s:\n' "${fpr: -16}" "$fpr"
}

# --- Small facts ------------------------------------------------------------------------------
stand_in_uname() {
  case ${1:-} in
    -r) running_kernel ;;
    -m) setting arch ;;
    "" | -s) echo Linux ;;
    *) unsupported "$@" ;;
  esac
}

stand_in_lspci() {
  local lines
  lines=$(settings_all gpu)
  if [[ " $* " == *" -d 10de: "* ]]; then grep '\[10de:' <<<"$lines" || true; else printf '%s\n' "$lines"; fi
}

stand_in_mokutil() {
  case ${1:-} in
    --sb-state)
      case $(setting secure_boot) in
        enabled) echo "SecureBoot enabled" ;;
        disabled) echo "SecureBoot disabled" ;;
        *) echo "EFI variables are not supported on this system" >&2; exit 1 ;;
      esac
      ;;
    --test-key)
      if flag mok_enrolled; then echo "$2 is already enrolled"; else echo "$2 is not enrolled"; fi
      ;;
    *) unsupported "$@" ;;
  esac
}

stand_in_dkms() {
  db_has dkms || { echo "bash: dkms: command not found" >&2; exit 127; }
  case ${1:-} in
    --version) echo "dkms-$(setting dkms_version)" ;;
    status) if [[ -s $STATE/dkms_built ]]; then echo "nvidia/$(db_version nvidia-driver), $(cat "$STATE/dkms_built"), $(setting arch): installed"; fi ;;
    *) unsupported "$@" ;;
  esac
}

stand_in_gcc() {
  [[ ${1:-} == -dumpversion ]] || unsupported "$@"
  setting system_gcc
}

case $CMD in
  dnf) stand_in_dnf "$@" ;;
  rpm) stand_in_rpm "$@" ;;
  systemctl) stand_in_systemctl "$@" ;;
  nvidia-smi) stand_in_nvidia_smi "$@" ;;
  modprobe) stand_in_modprobe "$@" ;;
  lsmod) stand_in_lsmod "$@" ;;
  docker) stand_in_docker "$@" ;;
  nvidia-ctk) stand_in_nvidia_ctk "$@" ;;
  curl) stand_in_curl "$@" ;;
  gpg) stand_in_gpg "$@" ;;
  uname) stand_in_uname "$@" ;;
  lspci) stand_in_lspci "$@" ;;
  mokutil) stand_in_mokutil "$@" ;;
  dkms) stand_in_dkms "$@" ;;
  gcc) stand_in_gcc "$@" ;;
  getconf) [[ ${1:-} == PAGESIZE ]] || unsupported "$@"; setting page_size ;;
  podman) stand_in_podman "$@" ;;
  podman-compose) echo "podman-compose version 1.0.6" ;;
  getenforce) stand_in_getenforce ;;
  getsebool) stand_in_getsebool "$@" ;;
  setsebool) stand_in_setsebool "$@" ;;
  getent) stand_in_getent "$@" ;;
  usermod) stand_in_usermod "$@" ;;
  runuser) stand_in_runuser "$@" ;;
  *)
    # A command that must never run on the machine the tests run on.
    printf 'TRIPWIRE: %s %s was called inside the sandbox\n' "$CMD" "$*" | tee -a "$CALLS" >&2
    exit 99
    ;;
esac
