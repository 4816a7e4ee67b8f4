#!/usr/bin/env bash
# Installs Debian's wrk, the HTTP load generator the load run of `make bench`
# drives. Does nothing when wrk is already there.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  SUDO=""
fi
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk >/dev/null
else
  echo "Install wrk with your system's package manager to run the load bench." >&2
  exit 1
fi
