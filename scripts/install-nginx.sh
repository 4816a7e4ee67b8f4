#!/usr/bin/env bash
# Installs Debian's nginx, the static-file ceiling of the proxy section of
# `make bench` (bench/proxy.py starts it with a configuration of its own, on a
# free port). Does nothing when nginx is already there.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  SUDO=""
fi
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    nginx-light >/dev/null || DEBIAN_FRONTEND=noninteractive \
    $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx >/dev/null
else
  echo "Install nginx with your system's package manager to run the proxy bench." >&2
  exit 1
fi
