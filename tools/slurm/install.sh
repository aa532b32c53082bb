#!/usr/bin/env bash
# Installs what `make test-slurm` needs from Debian when it is missing: Slurm's controller, node daemon
# and client (slurm-wlm's parts: slurmctld, slurmd, slurm-client) and munge, without recommends.
# Measured on Debian 12: Slurm 22.05.8 and munge 0.5.15 install in about 10 s.
# Exit 0 when all are installed (nothing is done when they already are); otherwise the last line on
# standard error says why, and the exit status is 1.
set -euo pipefail

packages=(slurmctld slurmd slurm-client munge)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "no apt-get on this machine: install ${missing[*]} (Slurm and munge) with its package manager" >&2
    exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "not root and no password-less sudo: cannot apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "installing ${missing[*]} (apt-get, no recommends)" >&2
# The packages' own services (munge, slurmctld, slurmd with /etc/slurm) are not used: the one-node
# cluster runs private daemons on private ports and sockets (tools/slurm/cluster.sh).
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    # A machine whose package lists are stale or empty: refresh them once and retry.
    "${as_root[@]}" apt-get update -q >/dev/null
    if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
        echo "apt-get install ${missing[*]} failed" >&2
        exit 1
    fi
fi
