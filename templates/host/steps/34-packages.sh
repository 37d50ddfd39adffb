# --- Installed packages -----------------------------------------------------------------------
is_installed() { rpm -q "$1" >/dev/null 2>&1; }

# installed_version NAME: VERSION-RELEASE of an installed package, or nothing.
installed_version() {
  if is_installed "$1"; then rpm -q --qf '%{VERSION}-%{RELEASE}\n' "$1" | sed -n 1p; fi
}

# install_missing PACKAGE: install one package unless it is installed already.
install_missing() {
  if is_installed "$1"; then ok "$1 is installed"; else run dnf -y install "$1"; fi
}

# missing_packages NAME...: those of them that are not installed, one per line, from one rpm call
# (each call opens the rpm database). `rpm -q` prints "package NAME is not installed" on stdout for
# each, and its exit status is how many; any other status (a database it could not read) means
# asking one by one.
missing_packages() {
  (($#)) || return 0
  local out rc=0 pkg missing=()
  out=$'\n'$(LC_ALL=C rpm -q "$@" 2>/dev/null)$'\n' || rc=$?
  for pkg; do
    if [[ $out == *$'\n'"package $pkg is not installed"$'\n'* ]]; then missing+=("$pkg"); fi
  done
  if ((rc != ${#missing[@]})); then
    missing=()
    for pkg; do is_installed "$pkg" || missing+=("$pkg"); done
  fi
  if ((${#missing[@]})); then printf '%s\n' "${missing[@]}"; fi
}

# installed_packages NAME...: those of them that are installed, one per line.
installed_packages() {
  local missing pkg
  missing=$'\n'$(missing_packages "$@")$'\n'
  for pkg; do
    if [[ $missing != *$'\n'"$pkg"$'\n'* ]]; then printf '%s\n' "$pkg"; fi
  done
}
