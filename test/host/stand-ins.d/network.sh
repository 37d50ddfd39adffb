# shellcheck shell=bash
# Stand-ins for curl and gpg: downloads and keys.
# Sourced by test/host/stand-ins.sh for these commands only, after its shared helpers.
# shellcheck disable=SC2016 # the $PATH and $basearch written into files stay literal

# --- Downloads and keys -----------------------------------------------------------------------
cuda_repo_arch() { if [[ ${SETTING[arch]-} == aarch64 ]]; then echo sbsa; else setting arch; fi; }
cuda_repo_url() { echo "https://developer.download.nvidia.com/compute/cuda/repos/rhel${SETTING[os_major]-}/$(cuda_repo_arch)"; }

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
  key_for() { if [[ $host != "$2" && -n ${SETTING[mirror_key_fpr]-} ]]; then setting mirror_key_fpr; else setting "$1"; fi; }
  case $url in
    */linux/rhel/gpg) fake_key "$(key_for docker_key_fpr download.docker.com)" >"$out" ;;
    */libnvidia-container/gpgkey) fake_key "$(key_for toolkit_key_fpr nvidia.github.io)" >"$out" ;;
    */libnvidia-container/stable/rpm/nvidia-container-toolkit.repo) cp "${SETTING[fixtures]-}/nvidia-container-toolkit.repo" "$out" ;;
    */rhel"${SETTING[os_major]-}/$(cuda_repo_arch)"/D42D0685.pub) fake_key "$(key_for cuda_key_fpr developer.download.nvidia.com)" >"$out" ;;
    */rhel"${SETTING[os_major]-}/$(cuda_repo_arch)/cuda-rhel${SETTING[os_major]-}".repo)
      # NVIDIA's .repo file (the stand-in dnf reads the driver its repository offers from the comment).
      local id
      id=cuda-rhel${SETTING[os_major]-}-$(cuda_repo_arch)
      printf '# driver=%s\n[%s]\nname=%s\nbaseurl=%s\nenabled=1\ngpgcheck=1\ngpgkey=%s/D42D0685.pub\n' \
        "${SETTING[network_driver]-}" "$id" "$id" "$(cuda_repo_url)" "$(cuda_repo_url)" >"$out"
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
