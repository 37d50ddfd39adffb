# shellcheck shell=bash
# Stand-ins for dnf: installs, removals, module streams, repositories, and what installing a kernel, a toolset or the driver leaves behind.
# Sourced by test/host/stand-ins.sh for these commands only, after its shared helpers.
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal

# Split a kernel release (5.15.0-300.1.el9uek.x86_64) into "version release arch".
split_kernel() {
  if [[ $1 =~ ^([^-]+)-(.+)\.([a-z0-9_]+)$ ]]; then
    printf '%s %s %s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
  else
    printf '%s\n' "$1"
  fi
}

# --- Repositories: the .repo files in the sandbox's /etc/yum.repos.d ---------------------------
# repo_scan reads them all, in bash (a fork is most of what a stand-in costs): REPO_FILE[id] is the
# first file with an [id] section; REPO_ENABLED[id] its last enabled= value; REPO_ON the ids with an
# enabled=1 line, in order; FILE_DRIVER[file] a "# driver=" line (NVIDIA's repositories, from the
# stand-in curl and rpm); FILE_HOSTS[file] the hosts of its baseurl lines.
declare -A REPO_FILE=() REPO_ENABLED=() FILE_DRIVER=() FILE_HOSTS=()
REPO_ON=()
repo_scan() {
  REPO_FILE=() REPO_ENABLED=() FILE_DRIVER=() FILE_HOSTS=() REPO_ON=()
  local f line sec=""
  for f in /etc/yum.repos.d/*.repo; do
    while IFS= read -r line || [[ -n $line ]]; do
      case $line in
        "["*) sec=${line:1}; sec=${sec%?}; [[ -n ${REPO_FILE[$sec]+set} ]] || REPO_FILE[$sec]=$f ;;
        enabled=*) REPO_ENABLED[$sec]=${line#enabled=}; [[ $line != enabled=1* ]] || REPO_ON+=("$sec") ;;
        "# driver="*) FILE_DRIVER[$f]=${line#"# driver="} ;;
        baseurl=*) if [[ $line =~ ^baseurl=[a-z]*://([^/]*) ]]; then FILE_HOSTS[$f]+="${BASH_REMATCH[1]} "; fi ;;
      esac
    done <"$f"
  done
}
repo_enabled() { repo_scan; [[ ${REPO_ENABLED[$1]-} == 1 ]]; }
repo_set_enabled() {
  repo_scan
  local f=${REPO_FILE[$1]-} line sec="" lines=()
  [[ -n $f ]] || fail "Error: No matching repo to modify: $1."
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == "["* ]]; then sec=${line:1}; sec=${sec%?}; fi
    if [[ $sec == "$1" && $line == enabled=* ]]; then line=enabled=1; fi
    lines+=("$line")
  done <"$f"
  printf '%s\n' "${lines[@]}" >"$f"
}
enabled_repo_ids() { repo_scan; ((${#REPO_ON[@]} == 0)) || printf '%s\n' "${REPO_ON[@]}"; }
# The driver version offered by the enabled NVIDIA repositories (a "# driver=" line in their file).
repo_driver_version() {
  repo_scan
  local id best=""
  for id in "${REPO_ON[@]}"; do
    [[ $id == cuda-* && -n ${REPO_FILE[$id]-} ]] || continue
    best=${FILE_DRIVER[${REPO_FILE[$id]}]-}
  done
  printf '%s\n' "$best"
}
need_repo() {
  # On a ULN host (uln=1) a package comes from the channel of that repository (ol8_x86_64_…).
  if [[ ${SETTING[uln]-} == 1 && $1 == ol[0-9]_* ]]; then set -- "${1:0:4}${SETTING[arch]}_${1:4}" "$2"; fi
  repo_enabled "$1" || fail "Error: Unable to find a match: $2 (repository $1 is not enabled)"
  local f=${REPO_FILE[$1]-} host
  [[ -n $f ]] || return 0
  for host in ${FILE_HOSTS[$f]-}; do
    if blocked "$host"; then fail "Error: Failed to download metadata for repo '$1': Curl error (28): Timeout was reached for https://$host/ [Connection timed out after 30000 milliseconds]"; fi
  done
}

# --- dnf --------------------------------------------------------------------------------------
uek_repo_for() { # Oracle's layout: UEK R6 has no repository of its own on aarch64 (its base repository has it)
  case $1 in
    5.4.17-*.aarch64) echo "ol${SETTING[os_major]-}_baseos_latest" ;;
    5.4.17-*) echo "ol${SETTING[os_major]-}_UEKR6" ;;
    5.15.0-*) echo "ol${SETTING[os_major]-}_UEKR7" ;;
    6.12.0-*) echo "ol${SETTING[os_major]-}_UEKR8" ;;
  esac
}

install_kernel_devel() { # install_kernel_devel NAME KREL
  local name=$1 krel=$2 v r a
  read -r v r a <<<"$(split_kernel "$krel")"
  db_add "$name" "$v" "$r" "$a"
  mkdir -p "/usr/src/kernels/$krel"
  printf 'CONFIG_CC_VERSION_TEXT="%s"\n' "${SETTING[kernel_cc]-}" >"/usr/src/kernels/$krel/.config"
  local cc_major
  cc_major=""
  if [[ ${SETTING[kernel_cc]-} =~ ^gcc\ \(GCC\)\ ([0-9]*)\. ]]; then cc_major=${BASH_REMATCH[1]}; fi
  if [[ $name == kernel-uek-devel && ${SETTING[toolset_pulled]-} == 1 && $cc_major != "${SETTING[system_gcc]-}" ]]; then
    install_toolset "gcc-toolset-$cc_major-gcc"
  fi
}

install_toolset() {
  local n=${1#gcc-toolset-}
  n=${n%-gcc}
  db_add "$1" "$n.2.1" "7.el${SETTING[os_major]-}"
  mkdir -p "/opt/rh/gcc-toolset-$n"
  printf 'export PATH=/opt/rh/gcc-toolset-%s/root/usr/bin:$PATH\n' "$n" >"/opt/rh/gcc-toolset-$n/enable"
}

# DKMS builds the module at install time; it succeeds when it uses the kernel's compiler.
dkms_build() {
  local krel cc_major sys conf env_file
  krel=${SETTING[kernel]-}
  # The compiler that built the kernel, from its .config (as kernel-devel ships it).
  local line
  cc_major=""
  if [[ -f /usr/src/kernels/$krel/.config ]]; then
    while IFS= read -r line; do
      if [[ $line =~ ^CONFIG_CC_VERSION_TEXT=\"gcc\ \(GCC\)\ ([0-9]+)\. ]]; then cc_major=${BASH_REMATCH[1]}; fi
    done <"/usr/src/kernels/$krel/.config"
  fi
  [[ -d /usr/src/kernels/$krel ]] || { echo "Error! Kernel headers for $krel cannot be found." >&2; return 0; }
  sys=${SETTING[system_gcc]-}
  if [[ -z $cc_major || $cc_major == "$sys" ]]; then echo "$krel" >"$STATE/dkms_built"; return 0; fi
  # dkms sources the build_environment file for each build with $kernelver set (dkms.in; dkms(8)).
  for conf in /etc/dkms/framework.conf.d/*.conf; do
    env_file=$(sed -n 's/^build_environment="\(.*\)"$/\1/p' "$conf")
    [[ -n $env_file && -f $env_file ]] || continue
    if [[ $(kernelver=$krel PATH=/usr/bin bash -c '. "$1" >/dev/null 2>&1; echo "$PATH"' _ "$env_file") == *"/opt/rh/gcc-toolset-$cc_major/"* ]] &&
      version_ge "${SETTING[dkms_version]-}" 3.3.0; then
      echo "$krel" >"$STATE/dkms_built"
      return 0
    fi
  done
  echo "warning: the compiler differs from the one used to build the kernel; Error! Bad return status for module build" >&2
}

install_driver() { # install_driver open|proprietary [META]
  local flavour=$1 meta=${2:-} version
  version=$(cat "$STATE/module_driver" 2>/dev/null || true)
  version=${version:-$(repo_driver_version)}
  [[ -n $version ]] || fail "Error: Unable to find a match: ${meta:-nvidia-driver} (no NVIDIA repository enabled)"
  db_has dkms || fail "Error: Problem: package kmod-nvidia-$flavour-dkms requires dkms, but none of the providers can be installed"
  # dnf -y would import the key named by the repository on first use; here it must be imported already.
  db_has "gpg-pubkey-$(cuda_key_id)" || fail "Error: GPG check FAILED (NVIDIA's CUDA key $(cuda_key_id) is not imported; the stand-in never imports keys on first use)"
  db_add nvidia-driver "$version" "1.el${SETTING[os_major]-}"
  if [[ $flavour == open ]]; then
    db_del kmod-nvidia-latest-dkms
    db_add kmod-nvidia-open-dkms "$version" "1.el${SETTING[os_major]-}"
  else
    db_del kmod-nvidia-open-dkms
    db_add kmod-nvidia-latest-dkms "$version" "1.el${SETTING[os_major]-}"
  fi
  if [[ -n $meta ]]; then db_add "$meta" "$version" "1.el${SETTING[os_major]-}"; fi
  dkms_build
}

cuda_key_id() { local fpr; fpr=${SETTING[cuda_key_fpr]-}; fpr=${fpr: -8}; echo "${fpr,,}"; }

stream_flavour() { if [[ $1 == *open* ]]; then echo open; else echo proprietary; fi; }

# dnf's module help lists its subcommands; dnf_switch_to=0: a dnf from before `switch-to` (dnf 4.5.1).
dnf_module_help() {
  local commands="disable, enable, info, install, list, provides, remove, repoquery, reset, update"
  [[ ${SETTING[dnf_switch_to]-} == 0 ]] || commands+=", switch-to"
  printf 'usage: dnf module [-c [config file]] [-q] [-v] [--version] <modular command> [module-spec ...]\n\n'
  printf 'Module command-specific options:\n  <modular command>  %s\n' "$commands"
}

# The driver a numbered stream (580-dkms) installs: the repository's own, or an older branch the
# network repository also offers (network_branch=VERSION, repeatable); nothing when it has none.
stream_driver() {
  local branch=$1 v
  for v in "$(repo_driver_version)" $(settings_all network_branch); do
    if [[ ${v%%.*} == "$branch" ]]; then printf '%s\n' "$v"; return 0; fi
  done
}

# dnf module list --enabled: dnf's table (dnf/cli/commands/module.py), the enabled stream marked [e].
dnf_module_list() {
  local current
  current=$(cat "$STATE/module_stream" 2>/dev/null || true)
  [[ -n $current ]] || { echo "Error: No matching Modules to list" >&2; exit 1; }
  printf 'CUDA and drivers from NVIDIA\nName           Stream        Profiles                  Summary\n'
  printf 'nvidia-driver  %s [e] default [d], fm, ks, src  Nvidia driver for %s branch\n\n' "$current" "$current"
  printf 'Hint: [d]efault, [e]nabled, [x]disabled, [i]nstalled\n'
}

dnf_module() {
  if [[ ${1:-} == --help ]]; then dnf_module_help; return 0; fi
  if [[ ${1:-} == list && ${2:-} == --enabled && ${3:-} == nvidia-driver ]]; then dnf_module_list; return 0; fi
  if [[ ${1:-} == reset && ${2:-} == nvidia-driver ]]; then rm -f "$STATE/module_stream" "$STATE/module_driver"; echo "Complete!"; return 0; fi
  local action=$1 spec=$2 stream current
  [[ $spec == nvidia-driver:* ]] || unsupported module "$@"
  stream=${spec#nvidia-driver:}
  [[ -n "$(repo_driver_version)" ]] || fail "Error: Problems in request: missing groups or modules: $spec"
  current=$(cat "$STATE/module_stream" 2>/dev/null || true)
  if [[ $stream =~ ^([0-9]+)- && -z $(stream_driver "${BASH_REMATCH[1]}") ]]; then
    fail "Error: Problems in request: missing groups or modules: $spec"
  fi
  case $action in
    enable | install)
      if [[ -n $current && $current != "$stream" ]]; then
        fail "The operation would result in switching of module 'nvidia-driver' stream '$current' to stream '$stream'" \
          "Error: It is not possible to switch enabled streams of a module unless explicitly enabled via configuration option module_stream_switch."
      fi
      echo "$stream" >"$STATE/module_stream"
      if [[ $stream =~ ^([0-9]+)- ]]; then stream_driver "${BASH_REMATCH[1]}" >"$STATE/module_driver"; fi
      if [[ $action == install ]]; then install_driver "$(stream_flavour "$stream")"; fi
      ;;
    switch-to)
      echo "$stream" >"$STATE/module_stream"
      rm -f "$STATE/module_driver"
      if [[ $stream =~ ^([0-9]+)- ]]; then stream_driver "${BASH_REMATCH[1]}" >"$STATE/module_driver"; fi
      install_driver "$(stream_flavour "$stream")"
      ;;
    *) unsupported module "$@" ;;
  esac
}

dnf_install() {
  local spec name v r m fail_pkg version
  m=${SETTING[os_major]-}
  fail_pkg=${SETTING[fail_install]-}
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
          "$m" "$m" "$m" "${SETTING[epel_enabled_by_release]-}" >"/etc/yum.repos.d/oracle-epel-ol$m.repo"
        ;;
      kernel-uek-devel-*)
        local krel=${spec#kernel-uek-devel-}
        need_repo "$(uek_repo_for "$krel")" "$spec"
        install_kernel_devel kernel-uek-devel "$krel"
        ;;
      kernel-devel-matched)
        [[ $m == 9 ]] || fail "Error: Unable to find a match: kernel-devel-matched"
        need_repo "ol${m}_appstream" "$spec"
        db_add kernel-devel-matched "${SETTING[kernel]%%-*}" 1
        install_kernel_devel kernel-devel "${SETTING[kernel]-}"
        ;;
      kernel-devel-*) need_repo "ol${m}_baseos_latest" "$spec"; install_kernel_devel kernel-devel "${spec#kernel-devel-}" ;;
      kernel-headers) db_add kernel-headers 1 1 ;;
      dkms) need_repo "ol${m}_developer_EPEL" dkms; db_add dkms "${SETTING[dkms_version]-}" "1.el$m" noarch ;;
      gcc-toolset-*-gcc) need_repo "ol${m}_appstream" "$spec"; install_toolset "$spec" ;;
      nvidia-open | cuda-drivers)
        local stream
        stream=$(cat "$STATE/module_stream" 2>/dev/null || true)
        [[ -n $stream ]] || fail "Error: Unable to find a match: $spec (module nvidia-driver is not enabled)"
        if [[ $spec == nvidia-open && $(stream_flavour "$stream") != open ]]; then fail "Error: nvidia-open is filtered out by modular filtering (stream $stream)"; fi
        if [[ $spec == cuda-drivers && $(stream_flavour "$stream") != proprietary ]]; then fail "Error: cuda-drivers conflicts with the $stream stream"; fi
        install_driver "$(stream_flavour "$stream")" "$spec"
        ;;
      nvidia-fabricmanager-* | nvidia-fabric-manager-*)
        # Only the enabled NVIDIA repository's driver version, under the name of its branch (580 renamed it).
        version=$(repo_driver_version)
        name=nvidia-fabric-manager
        if version_ge "${version%%.*}" 580; then name=nvidia-fabricmanager; fi
        [[ -n $version && $spec == "$name-$version" ]] || fail "Error: Unable to find a match: $spec"
        db_add "$name" "$version" "1.el$m"
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
      podman-compose) need_repo "ol${m}_developer_EPEL" podman-compose; db_add podman-compose "${SETTING[epel_compose]-}" "6.el$m" noarch ;;
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

# dnf upgrade: the repositories' release of an installed package (only those the Podman script
# upgrades; epel_compose sets the podman-compose release Oracle's EPEL mirror serves).
dnf_upgrade() {
  local spec m
  m=${SETTING[os_major]-}
  for spec; do
    db_has "$spec" || fail "Error: Package $spec is not installed."
    case $spec in
      podman) need_repo "ol${m}_appstream" podman; db_add podman 4.9.4 "1.0.1.el$m" ;;
      podman-compose) need_repo "ol${m}_developer_EPEL" podman-compose; db_add podman-compose "${SETTING[epel_compose]-}" "1.el$m" noarch ;;
      *) unsupported upgrade "$spec" ;;
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
    upgrade) shift; dnf_upgrade "$@" ;;
    module) shift; dnf_module "$@" ;;
    clean) echo "files removed" ;;
    makecache)
      [[ ${2:-} == --repo ]] && { repo_enabled "$3" || fail "Error: Unknown repo: '$3'"; }
      echo "Metadata cache created."
      ;;
    *) unsupported "$@" ;;
  esac
}
