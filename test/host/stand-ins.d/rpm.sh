# shellcheck shell=bash
# Stand-ins for rpm: queries of the fake rpm database, key imports and signature checks.
# Sourced by test/host/stand-ins.sh for these commands only, after its shared helpers.
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal

# --- rpm --------------------------------------------------------------------------------------
local_repo_name() { # the package name inside NVIDIA's local repository rpm, from its file name
  [[ ${1##*/} =~ ^(cuda-repo-rhel[0-9]+-[0-9]+-[0-9]+-local)-[0-9.]+_([0-9.]+)-[0-9]+\.[a-z0-9_]+\.rpm$ ]] || return 1
  printf '%s %s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
}

rpm_query() { # every line matching a name, name-version, NVR or NVRA; the exit status counts the names not found, as rpm 4.18 does (checked)
  local qf='%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n' rc=0 q n v r a out found
  if [[ ${1:-} == --qf || ${1:-} == --queryformat ]]; then qf=$2; shift 2; fi
  for q; do
    found=false
    while read -r n v r a; do
      [[ $q == "$n" || $q == "$n-$v-$r" || $q == "$n-$v-$r.$a" || $q == "$n-$v" ]] || continue
      found=true
      out=${qf//%\{NAME\}/$n}
      out=${out//%\{VERSION\}/$v}
      out=${out//%\{RELEASE\}/$r}
      out=${out//%\{ARCH\}/$a}
      printf '%b' "$out"
    done <"$STATE/rpmdb"
    if ! $found; then echo "package $q is not installed"; rc=$((rc + 1)); fi
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
      local file=$2 parsed name driver
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
