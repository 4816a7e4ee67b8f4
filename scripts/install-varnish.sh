#!/usr/bin/env bash
# Installs Debian's Varnish and varnish-modules (for xkey, the purge by tag
# that deploy/varnish/filmblog.vcl uses): the caching proxy `make demo-varnish`
# puts in front of the site, and the one the Varnish tests start. Does
# nothing when varnishd and the xkey module are already there.
set -euo pipefail
have_xkey() {
  ls /usr/lib/*/varnish/vmods/libvmod_xkey.so /usr/lib/varnish/vmods/libvmod_xkey.so \
    >/dev/null 2>&1
}
if command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ]; then
  if have_xkey; then
    exit 0
  fi
fi
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  SUDO=""
fi
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  # Installing starts Debian's own varnish service where systemd runs; the
  # project never uses it (it starts varnishd with its own VCL and -n folder).
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    varnish varnish-modules >/dev/null
else
  echo "Install Varnish and varnish-modules with your system's package manager." >&2
  exit 1
fi
