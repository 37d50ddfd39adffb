# Podman's own option (the others: 11-common-options.sh).
SELINUX_MODE=auto
# Set by the toolkit step: the CDI specification that Podman reads for this toolkit.
CDI_SPEC=""
ROOTLESS_USER=""
