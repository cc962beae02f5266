#!/usr/bin/env bash
# Installs the Debian packages the project needs and a fresh machine may lack:
# - libmariadb-dev + pkg-config: to build mysqlclient (tests run against MariaDB, like Open edX);
# - chromium + chromium-driver: the browser of the browser tests (never a downloaded one);
# - nodejs + npm: to install axe-core, injected into pages by the accessibility tests.
# `install_system_deps.sh run` installs only what the preview needs (nothing, today).
# Skips what is already there; needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ "${1:-test}" = "test" ]; then
  pkg-config --exists libmariadb 2>/dev/null || missing+=(libmariadb-dev pkg-config)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v npm >/dev/null || missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
