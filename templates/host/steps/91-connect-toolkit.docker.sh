# Docker reaches the GPUs through the nvidia runtime, which nvidia-ctk adds to daemon.json.
connect_toolkit() {
  if [[ -f $DAEMON_JSON ]] && grep -q '"nvidia"' "$DAEMON_JSON"; then
    ok "Docker knows the nvidia runtime ($DAEMON_JSON)"
    return 0
  fi
  if [[ -f $DAEMON_JSON ]]; then run cp -p "$DAEMON_JSON" "$DAEMON_JSON.before-nvidia-ctk"; fi
  run nvidia-ctk runtime configure --runtime=docker
  run systemctl restart docker
}
