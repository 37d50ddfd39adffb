usage() {
  cat <<EOF
Usage: sudo bash ${0##*/} [options]

Prepares this Oracle Linux 8/9 host to run the generated GPU stack with Podman:
  ${STACK}
  image ${STACK_IMAGE}; needs NVIDIA driver >= ${MIN_DRIVER}

Options:
  --driver-rpm PATH          NVIDIA's local repository rpm (cuda-repo-rhel<8|9>-<X-Y>-local-<ver>_<driver>-1.<arch>.rpm
                             from https://developer.nvidia.com/cuda-downloads); the default driver source
  --driver-rpm-sha256 HEX    recommended with --driver-rpm: the SHA-256 the rpm must have; checked before
                             anything is installed (the rpm's signature by NVIDIA's CUDA key is always checked)
  --driver-source local|network
                             local (default): the rpm above; network: NVIDIA's CUDA repository
  --driver-branch N          with --driver-source network: pin this driver branch (e.g. ${LONG_TERM_BRANCH})
  --kernel-modules open|proprietary
                             override the kernel module flavour chosen from the GPUs found
  --skip-driver              leave the driver alone (a suitable one is already installed)
  --selinux-mode auto|enforcing|skip
                             auto (default): set ${SELINUX_BOOLEAN} (and ${SELINUX_GPU_BOOLEAN} where the
                             policy has it) when getenforce says Enforcing; enforcing: set them in any
                             mode but Disabled (ready for enforcing later); skip: leave SELinux alone
  --dry-run                  print every command that would change the host, change nothing
  -h, --help                 show this help

Sources (restricted networks; every key a mirror serves is still checked against its fingerprint):
  --toolkit-repo URL         a mirror of ${TOOLKIT_REPO_UPSTREAM}; now ${TOOLKIT_REPO}
  --cuda-repo URL            a mirror of ${CUDA_REPO_UPSTREAM}; now ${CUDA_REPO_BASE}
  --registry-mirror URL      a Docker Hub mirror, tried before docker.io itself ([[registry.mirror]] in
                             ${REGISTRIES_DROP_IN}); repeatable, replaces the generated
                             ones${REGISTRY_MIRRORS[*]:+ (${REGISTRY_MIRRORS[*]})}
  --registry-ca HOST=FILE    trust FILE as the CA of registry HOST, as ${CONTAINERS_CERTS_DIR}/HOST/ca.crt; repeatable
  --insecure-registry HOST   reach registry HOST without TLS (insecure = true); repeatable, needs --allow-insecure-mirror
  --allow-insecure-mirror    accept http:// mirror URLs

Rootless use: run it with sudo and the invoking user (SUDO_USER) gets subordinate user and group ids
for rootless Podman; the GPU reaches rootless containers through the same CDI specification. The
final check then runs once more as that user, rootless (runuser); if only that one fails, the run
still succeeds and a WARNING says why and what to try.

Exit status: 0 ready, 3 reboot needed (run again after the reboot), 1 a step failed.
One run at a time: a run holds ${LOCK_FILE} (flock); a second run stops with exit 1.
Log: ${LOG_FILE}
EOF
}
