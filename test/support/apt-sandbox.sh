#!/usr/bin/env bash
# Runs one apt RUN step of a generated Dockerfile against a simulated image, in a private mount
# namespace (/etc an overlay, /tmp and /var/lib/dpkg-sim fresh; nothing outside changes). apt-get,
# dpkg and dpkg-query are stand-ins that keep package state in a file and behave as the real ones
# do where it matters here:
#   - dpkg -i of a package that was installed before does not bring back a conffile the admin
#     deleted (dpkg's conffile rule; reproduced with dpkg 1.21 in the artifact review, D1), a
#     fresh install lays it down;
#   - apt-get install of an NVIDIA package fails, as "Unable to locate package", when no apt
#     source names NVIDIA's CUDA repository; local .deb paths must exist.
#   - dpkg --compare-versions is the real dpkg's.
#
#   apt-sandbox.sh IMAGE SCRIPT_FILE
# IMAGE: keyring-1.1 | keyring-1.0 | apt-key-list (cuda.list written by the image) | plain
# Prints the stand-ins' log; exits with the script's status.
set -euo pipefail
[[ $EUID -eq 0 ]] || { echo "needs root" >&2; exit 2; }
image=$1 script=$(cat "$2")
work=$(mktemp -d -p /var/tmp apt-sandbox.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/upper" "$work/ovl" "$work/bin"
REAL_DPKG=$(command -v dpkg)
LIST=/etc/apt/sources.list.d/cuda-ubuntu2204-x86_64.list
REPO_LINE="deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/ /"

cat >"$work/bin/dpkg-query" <<'SH'
#!/bin/sh
# dpkg-query -W -f='${db:Status-Abbrev}${Version}' cuda-keyring
state=/tmp/.dpkg-state/cuda-keyring
[ -f "$state" ] || { echo "dpkg-query: no packages found matching cuda-keyring" >&2; exit 1; }
printf 'ii %s' "$(cat "$state")"
SH
cat >"$work/bin/dpkg" <<SH
#!/bin/sh
log() { echo "dpkg \$*" >> /tmp/.log; }
case "\$1" in
  --compare-versions) exec "$REAL_DPKG" "\$@" ;;
  -S) grep -qx "\$2" /tmp/.dpkg-state/owned 2>/dev/null && { echo "cuda-keyring: \$2"; exit 0; }; echo "dpkg-query: no path found matching pattern \$2" >&2; exit 1 ;;
  -s) [ -f /tmp/.dpkg-state/cuda-keyring ] ;;
  -i) log "\$@"; [ -f "\$2" ] || { echo "dpkg: error: cannot access archive '\$2'" >&2; exit 2; }
      if [ ! -f /tmp/.dpkg-state/cuda-keyring ]; then echo "$REPO_LINE" > "$LIST"; fi
      echo 1.1-1 > /tmp/.dpkg-state/cuda-keyring; echo "$LIST" > /tmp/.dpkg-state/owned ;;
  *) echo "dpkg stand-in: unexpected \$*" >&2; exit 2 ;;
esac
SH
cat >"$work/bin/apt-get" <<'SH'
#!/bin/sh
echo "apt-get $*" >> /tmp/.log
[ "$1" = update ] && exit 0
for pkg in "$@"; do
  case $pkg in
    /*) [ -f "$pkg" ] || { echo "E: Unsupported file $pkg given on commandline" >&2; exit 100; } ;;
    cuda-*|libcudnn*)
      grep -rqs "developer.download.nvidia.com/compute/cuda/repos" /etc/apt/sources.list.d/ \
        || { echo "E: Unable to locate package $pkg" >&2; exit 100; } ;;
  esac
done
SH
chmod +x "$work/bin/"*
export image script work LIST REPO_LINE
unshare -m --propagation private -- bash -euo pipefail -c '
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/upper,workdir=$work/ovl" /etc
  mount -t tmpfs tmpfs /tmp
  mkdir -p /etc/apt/sources.list.d /etc/apt/apt.conf.d /tmp/.dpkg-state
  rm -f /etc/apt/sources.list.d/*
  : > /tmp/.log
  case $image in
    keyring-1.1|keyring-1.0) echo "${image#keyring-}-1" > /tmp/.dpkg-state/cuda-keyring; echo "$LIST" > /tmp/.dpkg-state/owned; echo "$REPO_LINE" > "$LIST" ;;
    apt-key-list) echo "deb https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2004/x86_64 /" > /etc/apt/sources.list.d/cuda.list ;;
    plain) ;;
  esac
  echo fake > /tmp/cuda-keyring.deb
  mkdir -p /tmp/nvidia-ml && for f in $(printf "%s" "$script" | grep -o "/tmp/nvidia-ml/[^ ]*\.deb" | sort -u); do echo fake > "$f"; done
  rc=0
  PATH="$work/bin:$PATH" sh -c "$script" || rc=$?
  cat /tmp/.log
  ls /etc/apt/sources.list.d | sed "s/^/list /"
  exit $rc
'
