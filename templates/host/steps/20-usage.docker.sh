usage() {
  cat <<EOF
Usage: sudo bash ${0##*/} [options]

Prepares this Oracle Linux 8/9 host to run the generated GPU stack:
  ${STACK}
  image ${STACK_IMAGE}; needs NVIDIA driver >= ${MIN_DRIVER}
In WSL 2 the driver is the Windows one (update it there); the driver options are not used.

Options:
  --driver-rpm PATH          NVIDIA's local repository rpm (cuda-repo-rhel<8|9>-<X-Y>-local-<ver>_<driver>-1.<arch>.rpm
                             from https://developer.nvidia.com/cuda-downloads); the default driver source
  --driver-rpm-sha256 HEX    recommended with --driver-rpm: the SHA-256 the rpm must have (take it where
                             you downloaded the file, after checking it against NVIDIA's published
                             checksum); checked before anything is installed. Without it the script
                             warns and relies on the rpm's signature alone (always checked against
                             NVIDIA's CUDA repository key, pinned by fingerprint)
  --driver-source local|network
                             local (default): the rpm above; network: NVIDIA's CUDA repository
  --driver-branch N          with --driver-source network: pin this driver branch (e.g. ${LONG_TERM_BRANCH});
                             default: the newest branch
  --kernel-modules open|proprietary
                             override the kernel module flavour chosen from the GPUs found
  --skip-driver              leave the driver alone (a suitable one is already installed)
  --replace-podman           where Oracle Linux's podman, buildah or runc is installed: remove them for
                             Docker CE (without it the script stops before changing anything)
  --dry-run                  print every command that would change the host, change nothing
                             (takes no lock; warns when another run is in progress)
  -h, --help                 show this help

Sources (restricted networks; a mirror serves the same paths as the host it mirrors, and every
key it serves is still checked against its pinned fingerprint):
  --docker-repo URL          a mirror of ${DOCKER_REPO_UPSTREAM} (Docker CE's packages and key);
                             now ${DOCKER_REPO}
  --toolkit-repo URL         a mirror of ${TOOLKIT_REPO_UPSTREAM}
                             (the NVIDIA Container Toolkit's); now ${TOOLKIT_REPO}
  --cuda-repo URL            a mirror of ${CUDA_REPO_UPSTREAM}
                             (NVIDIA's key, the network driver repository); now ${CUDA_REPO_BASE}
  --registry-mirror URL      a Docker Hub mirror, merged into ${DAEMON_JSON}'s "registry-mirrors"
                             (other keys are kept); repeatable, replaces the generated ones${REGISTRY_MIRRORS[*]:+
                             (${REGISTRY_MIRRORS[*]})}. Docker mirrors Docker Hub only: for
                             another registry use its mirror as the image prefix (the Dockerfile's
                             build arguments)
  --registry-ca HOST=FILE    trust FILE as the CA of registry HOST (a private mirror or Harbor), as
                             ${DOCKER_CERTS_DIR}/HOST/ca.crt; repeatable
  --insecure-registry HOST   reach registry HOST without TLS ("insecure-registries"); repeatable,
                             needs --allow-insecure-mirror
  --allow-insecure-mirror    accept http:// mirror URLs

Exit status: 0 ready, 3 reboot needed (run again after the reboot), 1 a step failed.
One run at a time: a run holds ${LOCK_FILE} (flock); a second run stops with exit 1.
Log: ${LOG_FILE}
EOF
}
