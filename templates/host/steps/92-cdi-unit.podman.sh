# The unit a toolkit without nvidia-cdi-refresh gets: at every boot, once the driver answers, the
# static specification is generated again, so a driver update (which loads at a boot) is picked up.
install_own_cdi_unit() {
  local unit=${CDI_OWN_UNIT##*/}
  local content="# Written by cuda-scaffold's host bootstrap: NVIDIA Container Toolkit releases before $CDI_REFRESH_SINCE
# have no nvidia-cdi-refresh, so this unit keeps $CDI_STATIC_SPEC current for the driver loaded at boot.
[Unit]
Description=Regenerate the NVIDIA CDI specification $CDI_STATIC_SPEC (cuda-scaffold)
ConditionPathExists=/usr/bin/nvidia-ctk
After=systemd-modules-load.service

[Service]
Type=oneshot
ExecStart=/usr/bin/nvidia-smi -L
ExecStart=/usr/bin/nvidia-ctk cdi generate --output=$CDI_STATIC_SPEC

[Install]
WantedBy=multi-user.target"
  if [[ -f $CDI_OWN_UNIT && "$(cat "$CDI_OWN_UNIT")" == "$content" ]]; then
    ok "$unit keeps $CDI_STATIC_SPEC current at boot"
  else
    write_file "$CDI_OWN_UNIT" "$content"
    run systemctl daemon-reload
  fi
  enable_unit "$unit"
}
