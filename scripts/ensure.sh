#!/usr/bin/env bash
# Installs what mammoclr needs and is missing, then builds it: libtorch (Debian's libtorch-dev,
# unless LIBTORCH points at one) with OpenBLAS, the npm packages, the addon, the TypeScript.
# Safe to run repeatedly: each step is skipped when its result is already there and current.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "mammoclr: missing Debian packages: $*; install them (as root: apt-get install $*) and rerun." >&2
    exit 1
  fi
  echo "mammoclr: installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

missing=()
if [ -z "${LIBTORCH:-}" ] && [ ! -e /usr/include/torch/csrc/api/include/torch/torch.h ]; then missing+=(libtorch-dev); fi
# Debian's libtorch links the single-threaded reference BLAS unless OpenBLAS takes over libblas.so.3.
if [ -z "${LIBTORCH:-}" ] && command -v dpkg >/dev/null && ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then missing+=(libopenblas0-pthread); fi
# Gloo's headers (libgloo-dev) for the addon's c10d binding (ProcessGroupGloo); Debian's libtorch links libgloo itself.
if [ -z "${LIBTORCH:-}" ] && [ ! -e /usr/include/gloo/algorithm.h ]; then missing+=(libgloo-dev); fi
if ! command -v g++ >/dev/null || ! command -v make >/dev/null; then missing+=(g++ make); fi
# Debian's chromium: the viewer's browser tests and benchmark drive it headless (puppeteer-core brings no browser).
if [ -z "${MAMMOCLR_CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then missing+=(chromium); fi
# `npm run bench` (ensure.sh --bench) compares with PyTorch in the same run: Debian's PyTorch 1.13 and torchvision.
if [ "${1:-}" = --bench ] && [ -z "${MAMMOCLR_PYTHON:-}" ] && command -v dpkg >/dev/null; then
  for p in python3-torch python3-torchvision; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "mammoclr: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

node scripts/build-native.mjs --if-stale >/dev/null

npx --no-install tsc -p tsconfig.json
