# url_allowed URL: an https URL (or http with --allow-insecure-mirror), with nothing a shell or sed
# line could read as more than a URL.
url_allowed() {
  [[ $1 =~ ^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%+=,@-]+)*/?$ ]] ||
    { $ALLOW_INSECURE_MIRROR && [[ $1 =~ ^http://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%+=,@-]+)*/?$ ]]; }
}

# to_mirror FILE UPSTREAM MIRROR: a downloaded .repo file's public host replaced by the mirror.
to_mirror() {
  if [[ $2 != "$3" ]]; then sed -i "s#$2#$3#g" "$1"; fi
}

# point_at_mirror FILE UPSTREAM MIRROR: the same for an installed .repo file (printed in a dry run).
point_at_mirror() {
  if [[ $2 != "$3" ]]; then run sed -i "s#$2#$3#g" "$1"; fi
}

# fetch_key URL FINGERPRINT DEST: download a signing key and keep it only if it is the expected one
# (also when a mirror serves it: a mirror that serves another key is refused).
fetch_key() {
  local url=$1 expected=$2 dest=$3 got
  make_work_dir
  run curl -fsSL --proto "$CURL_PROTO" "$url" -o "$dest"
  if $DRY_RUN; then
    log "[dry-run] check that its fingerprint is $expected"
    return 0
  fi
  [[ -d $WORK_DIR/gnupg ]] || mkdir -m 700 "$WORK_DIR/gnupg"
  got=$(gpg_fingerprint "$dest")
  [[ $got == "$expected" ]] || die "the key at $url has fingerprint '${got:-none}', expected $expected" \
    "Refusing to trust it. Check the vendor's documentation for a key rotation; a mirror that serves" \
    "another key than the vendor's is not used (choose another one, or the public host)."
  ok "key fingerprint $got verified"
}
