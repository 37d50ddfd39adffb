readonly LOG_FILE=/var/log/cuda-scaffold-bootstrap.log
readonly LOCK_FILE=/run/cuda-scaffold-bootstrap.lock
readonly EXIT_REBOOT=3
readonly STEP_TOTAL=7
readonly DOCKER_PACKAGES=(docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin)
# Docker's list of conflicting packages, plus the rest of Oracle Linux's container-tools stack
# that depends on runc (buildah, podman-docker).
readonly DOCKER_CONFLICTS=(docker docker-client docker-client-latest docker-common docker-latest
  docker-latest-logrotate docker-logrotate docker-engine podman runc buildah podman-docker)
readonly TOOLKIT_PACKAGES=(nvidia-container-toolkit nvidia-container-toolkit-base
  libnvidia-container-tools libnvidia-container1)
readonly TOOLKIT_KEY_FILE=/etc/pki/rpm-gpg/RPM-GPG-KEY-nvidia-container-toolkit
readonly CUDA_KEY_FILE=/etc/pki/rpm-gpg/RPM-GPG-KEY-NVIDIA-CUDA
readonly NOUVEAU_BLACKLIST=/etc/modprobe.d/blacklist-nouveau.conf
readonly DKMS_TOOLSET_CONF=/etc/dkms/framework.conf.d/uek-gcc-toolset.conf
readonly DKMS_MOK_CERT=/var/lib/dkms/mok.pub
readonly DAEMON_JSON=/etc/docker/daemon.json
readonly DOCKER_CERTS_DIR=/etc/docker/certs.d
# Neither Docker's nor the toolkit's platform table lists Oracle Linux (docs.docker.com/engine/install/,
# docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/supported-platforms.html).
readonly REPOSITORIES_NOTE="Docker CE and the NVIDIA Container Toolkit list RHEL, not Oracle Linux, among their tested platforms; their RHEL repositories are used here"
