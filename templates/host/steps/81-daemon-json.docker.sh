# The daemon.json that adds REGISTRY_MIRRORS and INSECURE_REGISTRIES to what the file has (keeping
# every other key and the order of what is there), or nothing when it has them all already.
# Python is there on every Oracle Linux 8/9 host: dnf runs on it.
daemon_json_with_registries() {
  local python
  python=$(command -v python3 || command -v /usr/libexec/platform-python) || die "neither python3 nor /usr/libexec/platform-python is installed; it merges $DAEMON_JSON"
  "$python" - "$DAEMON_JSON" "${REGISTRY_MIRRORS[@]}" -- "${INSECURE_REGISTRIES[@]}" <<'PY'
import json, os, sys
path, args = sys.argv[1], sys.argv[2:]
mirrors, insecure = args[:args.index("--")], args[args.index("--") + 1:]
config = {}
if os.path.exists(path):
    with open(path) as f:
        text = f.read()
    if text.strip():
        config = json.loads(text)
if not isinstance(config, dict):
    sys.exit(1)
changed = False
for key, wanted in (("registry-mirrors", mirrors), ("insecure-registries", insecure)):
    have = config.get(key, [])
    if not isinstance(have, list):
        sys.exit(1)
    add = [v for v in wanted if v not in have]
    if add:
        config[key] = have + add
        changed = True
if changed:
    print(json.dumps(config, indent=4))
PY
}
