# --- Options -----------------------------------------------------------------------------------
DRIVER_RPM=""
DRIVER_RPM_SHA256=""
DRIVER_SOURCE=local
DRIVER_BRANCH=""
KERNEL_MODULES=""
SKIP_DRIVER=false
DRY_RUN=false
REPLACE_PODMAN=false
REGISTRY_MIRRORS_GIVEN=()
INSECURE_REGISTRIES=()
REGISTRY_CAS=()
ALLOW_INSECURE_MIRROR=false
CURL_PROTO='=https'
