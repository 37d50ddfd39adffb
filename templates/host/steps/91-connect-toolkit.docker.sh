# Docker reaches the GPUs through the nvidia runtime, which nvidia-ctk adds to daemon.json.
connect_toolkit() {
  local daemon=/etc/docker/daemon.json
  if [[ -f $daemon ]] && grep -q '"nvidia"' "$daemon"; then
    ok "Docker knows the nvidia runtime ($daemon)"
    return 0
  fi
  if [[ -f $daemon ]]; then run cp -p "$daemon" "$daemon.before-nvidia-ctk"; fi
  run nvidia-ctk runtime configure --runtime=docker
  run systemctl restart docker
}
