#!/usr/bin/env bash
# Runs, in a private mount namespace with /etc as an overlay and /opt, /home and /tmp as fresh
# tmpfs (nothing outside changes), what happens to a Dev Container's user on a host whose UID is
# not the image's: the Dockerfile's own user setup (real useradd/groupadd/install), files written
# into the virtual environment at build time with the Dockerfile's umask, then the Dev Containers
# CLI's own updateUID.Dockerfile RUN script (real sed/chown), then writes as the remapped user.
#
#   uid-sync.sh USER_SETUP_SCRIPT BUILD_UMASK UPDATE_UID_SCRIPT
# Prints one line per check ("ok …" / "FAIL …") and exits 1 if any write fails.
set -euo pipefail
[[ $EUID -eq 0 ]] || { echo "needs root" >&2; exit 2; }
setup=$(cat "$1") build_umask=$2 update=$3
work=$(mktemp -d -p /var/tmp uid-sync.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/upper" "$work/ovl" "$work/workspace"
export setup build_umask update work
unshare -m --propagation private -- bash -euo pipefail -c '
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/upper,workdir=$work/ovl" /etc
  for d in /opt /home /tmp; do mount -t tmpfs tmpfs "$d"; done
  # The image: build arguments of the Dockerfile; /workspace is a folder of the sandbox.
  USERNAME=dev USER_UID=4242 USER_GID=4242 sh -c "$(printf "%s" "$setup" | sed "s#/workspace#$work/workspace#g")"
  # Build time: the user writes the environment (what uv does), with the Dockerfile'"'"'s umask.
  setpriv --reuid=4242 --regid=4242 --init-groups sh -c "umask $build_umask; mkdir -p /opt/venv/lib/pkg && echo 1 > /opt/venv/lib/pkg/mod.py"
  # Container start: the CLI gives the user the host'"'"'s UID and GID with its own script.
  REMOTE_USER=dev NEW_UID=5151 NEW_GID=5151 sh -c "$update"
  getent passwd dev | cut -d: -f3,4 | sed "s/^/ok   dev is now /"
  rc=0
  as_host() { setpriv --reuid=5151 --regid=5151 --init-groups sh -c "$1" 2>&1; }
  if as_host "pip_install() { echo 2 > /opt/venv/lib/pkg/new.py && rm /opt/venv/lib/pkg/mod.py; }; pip_install"; then echo "ok   the host user installs into /opt/venv"; else echo "FAIL the host user cannot install into /opt/venv"; rc=1; fi
  if as_host "echo 3 > /tmp/uv-cache/entry"; then echo "ok   the host user writes the package cache"; else echo "FAIL the host user cannot write the package cache"; rc=1; fi
  exit $rc
'
