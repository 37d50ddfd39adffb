readonly LOG_FILE=/var/log/cuda-scaffold-bootstrap.log
readonly LOCK_FILE=/run/cuda-scaffold-bootstrap.lock
readonly EXIT_REBOOT=3
readonly STEP_TOTAL=8
# Docker CE's packages: containerd.io replaces the runc that Oracle Linux's Podman needs.
readonly DOCKER_PACKAGES=(docker-ce docker-ce-cli containerd.io)
readonly TOOLKIT_PACKAGES=(nvidia-container-toolkit nvidia-container-toolkit-base
  libnvidia-container-tools libnvidia-container1)
readonly TOOLKIT_KEY_FILE=/etc/pki/rpm-gpg/RPM-GPG-KEY-nvidia-container-toolkit
readonly CUDA_KEY_FILE=/etc/pki/rpm-gpg/RPM-GPG-KEY-NVIDIA-CUDA
readonly NOUVEAU_BLACKLIST=/etc/modprobe.d/blacklist-nouveau.conf
readonly DKMS_TOOLSET_CONF=/etc/dkms/framework.conf.d/uek-gcc-toolset.conf
readonly DKMS_MOK_CERT=/var/lib/dkms/mok.pub
# CDI specifications: the static one this script writes for toolkits without nvidia-cdi-refresh,
# and the one nvidia-cdi-refresh writes (toolkit >= CDI_REFRESH_SINCE). Podman reads both folders.
readonly CDI_STATIC_SPEC=/etc/cdi/nvidia.yaml
readonly CDI_DYNAMIC_SPEC=/var/run/cdi/nvidia.yaml
readonly CDI_OWN_UNIT=/etc/systemd/system/cuda-scaffold-cdi-refresh.service
readonly CDI_DEVICE=nvidia.com/gpu=all
# A rootless user's subordinate ids: the size podman's documentation uses, above the system ids.
readonly SUBID_COUNT=65536
readonly SUBID_FLOOR=100000
# Registries, the way Podman reads them: a drop-in of containers-registries.conf.d(5), loaded after
# /etc/containers/registries.conf in name order, and a registry's CA as certs.d/HOST/ca.crt
# (containers-certs.d(5)).
readonly REGISTRIES_DROP_IN=/etc/containers/registries.conf.d/50-cuda-scaffold.conf
readonly CONTAINERS_CERTS_DIR=/etc/containers/certs.d
# Podman is Oracle Linux's own; the toolkit's platform table does not list Oracle Linux
# (docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/supported-platforms.html).
readonly REPOSITORIES_NOTE="Podman comes from Oracle Linux's own AppStream; the NVIDIA Container Toolkit lists RHEL, not Oracle Linux, among its tested platforms, so its RHEL repository is used here"
