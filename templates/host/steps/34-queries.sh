# --- Small queries ----------------------------------------------------------------------------
# version_ge A B: true when version A >= version B (dotted numbers).
version_ge() {
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | sed -n 1p)" == "$2" ]]
}

repo_enabled() {
  dnf -q repolist --enabled 2>/dev/null | awk -v id="$1" '$1 == id { found = 1 } END { exit !found }'
}

module_loaded() {
  local modules
  modules=$(lsmod 2>/dev/null || true)
  awk -v m="$1" '$1 == m { found = 1 } END { exit !found }' <<<"$modules"
}

os_release_field() {
  awk -F= -v key="$1" '$1 == key { v = substr($0, length(key) + 2); gsub(/^["'\'']|["'\'']$/, "", v); print v; exit }' /etc/os-release
}

# The loaded driver's version, or nothing (nvidia-smi prints its errors on stdout, so check it).
driver_version_running() {
  local out
  out=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null) || return 0
  sed -n '1{/^[0-9][0-9.]*$/p;}' <<<"$out"
}

host_cuda_version() {
  local out
  out=$(nvidia-smi 2>/dev/null) || return 0
  sed -n 's/.*CUDA Version: *\([0-9][0-9.]*\).*/\1/p' <<<"$out" | sed -n 1p
}

# gpg_fingerprint FILE: the primary key fingerprint of an armored or binary public key file.
gpg_fingerprint() {
  GNUPGHOME="$WORK_DIR/gnupg" gpg --batch --show-keys --with-colons "$1" 2>/dev/null |
    awk -F: '$1 == "fpr" { print toupper($10); exit }' || true
}
