#!/usr/bin/env bash
# Installs Debian's Chromium for the real-browser tests (Playwright drives it
# through its executable path: `playwright install` cannot download browsers
# on every machine). Does nothing when Chromium is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  SUDO=""
fi
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
else
  echo "Install Chromium with your system's package manager to run the browser tests." >&2
  exit 1
fi
