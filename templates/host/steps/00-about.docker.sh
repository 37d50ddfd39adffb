#
# Turns an Oracle Linux 8 or 9 host (x86_64, or aarch64 for a linux/arm64 stack; UEK or RHCK
# kernel) into a GPU container host for the stack above: kernel headers for the running kernel,
# the NVIDIA driver (DKMS), Docker CE and the NVIDIA Container Toolkit, then a container that must
# see the GPU. In an Oracle Linux WSL 2 distribution the driver is the Windows one: the script sets
# up Docker CE and the toolkit only, and never a Linux driver (NVIDIA's CUDA on WSL guide forbids it).
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
# Signing keys are trusted by pinned fingerprint only (Docker's, the toolkit's and NVIDIA's CUDA
# repository key), and the local driver rpm must carry a valid signature by NVIDIA's CUDA key.
#
# Restricted networks: --docker-repo, --toolkit-repo and --cuda-repo take a mirror of each
# repository, and --registry-mirror a Docker Hub mirror for /etc/docker/daemon.json. A key that
# comes from a mirror is checked against the same pinned fingerprint, so a mirror that serves
# another key is refused.
