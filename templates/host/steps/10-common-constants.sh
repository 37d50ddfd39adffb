readonly LOG_FILE=/var/log/cuda-scaffold-bootstrap.log
readonly LOCK_FILE=/run/cuda-scaffold-bootstrap.lock
readonly EXIT_REBOOT=3
readonly TOOLKIT_KEY_FILE=/etc/pki/rpm-gpg/RPM-GPG-KEY-nvidia-container-toolkit
readonly CUDA_KEY_FILE=/etc/pki/rpm-gpg/RPM-GPG-KEY-NVIDIA-CUDA
readonly NOUVEAU_BLACKLIST=/etc/modprobe.d/blacklist-nouveau.conf
readonly DKMS_TOOLSET_CONF=/etc/dkms/framework.conf.d/uek-gcc-toolset.conf
readonly DKMS_MOK_CERT=/var/lib/dkms/mok.pub
