#
# Turns an Oracle Linux 8 or 9 host (x86_64, or aarch64 for a linux/arm64 stack; UEK or RHCK
# kernel) into a GPU container host for the stack above, with Podman: kernel headers for the
# running kernel, the NVIDIA driver (DKMS), Podman and podman-compose, the NVIDIA Container Toolkit
# and a CDI specification that is kept current after driver updates, SELinux and rootless use for
# the user who runs it with sudo, then a container that must see the GPU (podman run --device
# nvidia.com/gpu=all).
#
# Every step checks what is already there before it changes anything, so the script can be run
# again at any time; a second run on a ready host changes nothing.
#
# Exit status: 0 the host is ready · 3 reboot, then run this script again · 1 a step failed
# (the message names the step and the command). Everything is logged to /var/log as well.
# Run it with --help for the options.
#
# One run at a time: a run holds an flock on /run/cuda-scaffold-bootstrap.lock until it exits, and a
# second run stops at once (exit 1) naming the run that holds it. --dry-run takes no lock (it changes
# nothing, so it creates no lock file either); it only warns when a run is in progress.
#
# Signing keys are trusted by pinned fingerprint only (the toolkit's and NVIDIA's CUDA repository
# key), and the local driver rpm must carry a valid signature by NVIDIA's CUDA key. Podman and
# podman-compose come from Oracle Linux's own repositories (AppStream and its EPEL mirror).
#
# SELinux stays as it is: where it enforces, container_use_devices lets confined containers use the
# GPU (no --security-opt label=disable). Restricted networks: --toolkit-repo and --cuda-repo take a
# mirror of each repository; a key that comes from a mirror is checked against the same fingerprint.
# --registry-mirror takes a Docker Hub mirror, written as a registries.conf.d drop-in.
