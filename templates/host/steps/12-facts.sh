# --- Facts found about the host (set by the pre-flight step) ----------------------------------
OL_MAJOR=""
ARCH=""
KREL=""
KFLAVOUR=""
WSL=false
PAGE_SIZE=""
GPU_LINES=""
SECURE_BOOT=unknown
RUNNING_DRIVER=""
INSTALLED_DRIVER=""
DRIVER_PLAN=""
DRIVER_CAP=""
DRIVER_CAP_ARCHS=""
MODULE_FLAVOUR=""
DRIVER_STREAM=""
DRIVER_META=""
LOCAL_DRIVER_VERSION=""

CURRENT_STEP="Pre-flight checks"
STEP_NO=0
LOGGING=false
REBOOT_PENDING=""
WORK_DIR=""
LOCK_FD=""
LOCKED=false
