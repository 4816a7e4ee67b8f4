#!/usr/bin/env bash
# What the real-browser tests need beyond the Python lock:
#   - Debian's Chromium (Playwright drives it through its executable path:
#     `playwright install` cannot download browsers on every machine);
#   - axe-core for the accessibility scan, pinned by package-lock.json and
#     installed with `npm ci` into node_modules/.
# Each part does nothing when it is already in place. Without npm the
# accessibility tests are skipped, with a message; the other tests still run.
set -euo pipefail
cd "$(dirname "$0")/.."

install_chromium() {
  if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    sudo=sudo
  fi
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  else
    echo "Install Chromium with your system's package manager to run the browser tests." >&2
    exit 1
  fi
}

# node_modules/.package-lock.installed is a copy of the lock that was last
# installed: `npm ci` runs again only when axe is missing or the lock changed.
install_axe() {
  local stamp=node_modules/.package-lock.installed
  if [ -f node_modules/axe-core/axe.min.js ] && cmp -s package-lock.json "$stamp"; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: the accessibility tests (axe-core) will be skipped." \
      "Install Node.js and npm, then run scripts/install-browser.sh again." >&2
    return 0
  fi
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
}

install_chromium
install_axe
