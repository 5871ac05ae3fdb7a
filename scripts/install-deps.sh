#!/usr/bin/env bash
# Installs what simfund needs from Debian's packages: libgsl-dev (GSL 2.7)
# and pkg-config. Does nothing when both are present, so machines that have
# them need no root.
set -euo pipefail

if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl; then
  exit 0
fi

echo "simfund: installing libgsl-dev and pkg-config from Debian's packages..." >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "simfund: libgsl-dev is missing and this user cannot install packages." >&2
  echo "         Run as root: apt-get update && apt-get install -y libgsl-dev pkg-config" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "simfund: libgsl-dev is missing and apt-get is not available; install GSL 2.x and pkg-config by hand." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Package lists may be missing or stale on a fresh machine: install, and
# update the lists first if the install cannot find the package.
if ! $SUDO apt-get install -y -q libgsl-dev pkg-config >/dev/null 2>&1; then
  $SUDO apt-get update -q >/dev/null
  if ! $SUDO apt-get install -y -q libgsl-dev pkg-config >/dev/null; then
    echo "simfund: could not install libgsl-dev with apt-get (see the messages above)." >&2
    exit 1
  fi
fi
pkg-config --exists gsl || { echo "simfund: libgsl-dev installed but pkg-config cannot find gsl.pc" >&2; exit 1; }
echo "simfund: GSL $(pkg-config --modversion gsl) ready." >&2
