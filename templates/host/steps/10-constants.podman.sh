readonly STEP_TOTAL=8
# The Podman script is not written for WSL 2 (detect_wsl says why).
readonly ENGINE_IN_WSL=false
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
# What --registry-mirror serves (check_registry_options).
readonly REGISTRY_MIRRORS_SCOPE="these mirrors serve Docker Hub (docker.io) only"
# Podman is Oracle Linux's own; the toolkit's platform table does not list Oracle Linux
# (docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/supported-platforms.html).
readonly REPOSITORIES_NOTE="Podman comes from Oracle Linux's own AppStream; the NVIDIA Container Toolkit lists RHEL, not Oracle Linux, among its tested platforms, so its RHEL repository is used here"
