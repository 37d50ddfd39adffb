readonly STEP_TOTAL=7
# In WSL 2 the Docker script sets up the engine and the toolkit and leaves the driver to Windows.
readonly ENGINE_IN_WSL=true
readonly DAEMON_JSON=/etc/docker/daemon.json
readonly DOCKER_CERTS_DIR=/etc/docker/certs.d
# What --registry-mirror serves (check_registry_options).
readonly REGISTRY_MIRRORS_SCOPE="Docker's registry-mirrors serve Docker Hub only"
# Neither Docker's nor the toolkit's platform table lists Oracle Linux (docs.docker.com/engine/install/,
# docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/supported-platforms.html).
readonly REPOSITORIES_NOTE="Docker CE and the NVIDIA Container Toolkit list RHEL, not Oracle Linux, among their tested platforms; their RHEL repositories are used here"
