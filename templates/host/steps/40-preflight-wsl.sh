# WSL 2 (matrix/platform.yaml wsl* rows): the GPU is the Windows driver's, which WSL maps in at
# WSL_LIB_DIR (libcuda.so, nvidia-smi), and NVIDIA's CUDA on WSL guide says no Linux NVIDIA driver
# may be installed inside WSL 2. There the driver, its repositories, the kernel headers and nouveau
# are left alone; the engine and the toolkit are set up and checked as on any host.
detect_wsl() {
  local krel
  krel=$(uname -r)
  [[ ${krel,,} == *"${WSL_KERNEL_MARKER,,}"* ]] || return 0
  if [[ $krel == *"$WSL1_KERNEL_SUFFIX" ]]; then
    die "this is WSL 1 (kernel $krel), which gives Linux no GPU" \
      "Convert the distribution to WSL 2 in Windows (wsl --set-version <distribution> 2) and run this script there."
  fi
  WSL=true
  ok "WSL 2 (kernel $krel): the NVIDIA driver is the Windows one, and no Linux driver is installed here"
  $ENGINE_IN_WSL || die "this script sets up Podman on a Linux host, not in WSL 2: there its CDI specification would name the Windows driver's libraries, which it does not handle" \
    "Generate the files without --engine podman and run the Docker host script instead."
  [[ -d /run/systemd/system ]] || die "systemd is not running in this WSL distribution, and the container engine's service needs it" \
    "Add these two lines to /etc/wsl.conf (WSL $WSL_SYSTEMD_SINCE or newer; wsl --version):  [boot]  systemd=true" \
    "then run wsl.exe --shutdown in Windows, open the distribution again and run this script again."
  # Docker Desktop's WSL integration brings its own engine, GPUs included; Docker CE beside it conflicts.
  local server=""
  if command -v docker >/dev/null 2>&1; then server=$(docker version 2>/dev/null | sed -n 's/^Server: //p' || true); fi
  [[ $server != "$WSL_DOCKER_DESKTOP"* ]] || die "Docker Desktop's WSL integration serves this distribution ($server), and Docker CE beside it conflicts" \
    "Its engine runs GPU containers already (with --gpus all): use it and skip this script, or turn its WSL integration" \
    "off for this distribution (Docker Desktop: Settings, Resources, WSL integration) and run this script again."
  # WSL puts the folder on PATH for the sessions it starts, not for root under sudo.
  case ":$PATH:" in *":$WSL_LIB_DIR:"*) ;; *) PATH=$PATH:$WSL_LIB_DIR ;; esac
}

# The GPUs and the driver as WSL 2 shows them: lspci lists no NVIDIA device there, nvidia-smi the
# GPUs the Windows driver shares, with that driver's version.
detect_wsl_gpus() {
  GPU_LINES=$(nvidia-smi -L 2>/dev/null | grep '^GPU ' || true)
  [[ -n $GPU_LINES ]] || die "no NVIDIA GPU is visible in WSL 2 (nvidia-smi -L in $WSL_LIB_DIR lists none)" \
    "Install or update the NVIDIA driver on Windows (R$WSL_DRIVER_SINCE or newer; never a Linux driver in WSL)," \
    "then run wsl.exe --shutdown in Windows and run this script again."
  local line
  while IFS= read -r line; do ok "GPU: $line"; done <<<"$GPU_LINES"
}

plan_wsl_driver() {
  DRIVER_PLAN=wsl
  if [[ -n $INSTALLED_DRIVER ]]; then
    die "a Linux NVIDIA driver (nvidia-driver $INSTALLED_DRIVER) is installed in WSL 2, which NVIDIA's CUDA on WSL guide forbids (WSL maps in the Windows driver's libcuda.so)" \
      "Remove it (dnf -y module remove --all nvidia-driver; dnf -y module reset nvidia-driver), then run this script again."
  fi
  [[ -n $RUNNING_DRIVER ]] || die "nvidia-smi in WSL 2 lists GPUs but no driver version" \
    "Update the NVIDIA driver on Windows (nvidia.com/drivers), then run wsl.exe --shutdown and this script again."
  local floor=$MIN_DRIVER
  version_ge "${MIN_DRIVER%%.*}" "$WSL_DRIVER_SINCE" || floor=$WSL_DRIVER_SINCE
  version_ge "$RUNNING_DRIVER" "$floor" || die "the Windows NVIDIA driver $RUNNING_DRIVER is older than the $floor this stack needs in WSL 2" \
    "Update the NVIDIA driver on Windows (nvidia.com/drivers), then run wsl.exe --shutdown and this script again."
  if [[ $DRIVER_SOURCE == network || -n $DRIVER_RPM ]]; then note "WSL 2: the driver options (--driver-rpm, --driver-source) are not used"; fi
  ok "the Windows NVIDIA driver $RUNNING_DRIVER meets the $floor this stack needs in WSL 2"
}
