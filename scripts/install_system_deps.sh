#!/usr/bin/env bash
# Installs the Debian packages the project needs and a fresh machine may lack:
# - libmariadb-dev + pkg-config: to build mysqlclient (tests run against MariaDB, like Open edX);
# Skips what is already there; needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
pkg-config --exists libmariadb 2>/dev/null || missing+=(libmariadb-dev pkg-config)
command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)

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
