# The local repository rpm must carry a valid signature by NVIDIA's CUDA key (imported above, after
# its fingerprint was checked). rpm --checksig exits 0 for an unsigned package, so its report is read:
# a signature line "key ID <NVIDIA's key>: OK" is required, and no BAD, NOKEY or NOT OK anywhere.
check_driver_rpm_signature() {
  local name=${DRIVER_RPM##*/} key_id out rc=0
  key_id=$(cuda_key_id)
  if $DRY_RUN; then
    log "[dry-run] rpm --checksig -v $DRIVER_RPM   (must be signed by NVIDIA's CUDA key $key_id)"
    return 0
  fi
  log "+ rpm --checksig -v $DRIVER_RPM"
  out=$(LC_ALL=C rpm --checksig -v "$DRIVER_RPM" 2>&1) || rc=$?
  if ((rc == 0)) && ! grep -qE 'BAD|NOKEY|NOT OK' <<<"$out" &&
    grep -qiE "Signature, key ID [0-9a-f]*$key_id: OK" <<<"$out"; then
    ok "signature of $name verified (NVIDIA's CUDA key $key_id)"
    return 0
  fi
  local report=() problem
  mapfile -t report <<<"$out"
  if ! grep -q 'Signature' <<<"$out"; then
    problem="--driver-rpm $name carries no signature; refusing to install an unsigned rpm"
  else
    problem="--driver-rpm $name failed the signature check against NVIDIA's CUDA key $key_id (fingerprint $CUDA_KEY_FINGERPRINT)"
  fi
  die "$problem" "rpm --checksig -v said (exit $rc):" "${report[@]/#/  }" \
    "The file is damaged, altered or not NVIDIA's; download it again from https://developer.nvidia.com/cuda-downloads."
}

check_installed_driver() {
  $DRY_RUN && return 0
  INSTALLED_DRIVER=$(installed_version nvidia-driver)
  INSTALLED_DRIVER=${INSTALLED_DRIVER%%-*}
  [[ -n $INSTALLED_DRIVER ]] || die "nvidia-driver is not installed after installing nvidia-driver:$DRIVER_STREAM"
  version_ge "$INSTALLED_DRIVER" "$MIN_DRIVER" || die "the repository installed driver $INSTALLED_DRIVER, the stack needs >= $MIN_DRIVER"
  ok "driver $INSTALLED_DRIVER installed (nvidia-driver:$DRIVER_STREAM)"
}
