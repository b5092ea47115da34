#!/usr/bin/env bash
# Creates .venv and installs every Python package of the project (pinned by constraints.txt),
# and the frontend's npm packages. Re-runs only when a dependency file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3

stamp=.venv/.installed
inputs=$(cat constraints.txt requirements-dev.txt libs/*/pyproject.toml services/*/pyproject.toml \
  gateway/pyproject.toml tools/devstack/pyproject.toml deploy/requirements.txt 2>/dev/null | sha256sum | cut -d' ' -f1)

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$inputs" ]; then
  echo "==> Installing Python packages into .venv"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.0.1 \
    || .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  editable=(-e libs/contracts -e libs/common -e gateway -e tools/devstack)
  for svc in services/*/; do editable+=(-e "$svc"); done
  extra=()
  [ -f deploy/requirements.txt ] && extra+=(-r deploy/requirements.txt)
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
    -r requirements-dev.txt "${extra[@]}" "${editable[@]}"
  echo "$inputs" > "$stamp"
else
  echo "==> Python packages are up to date"
fi

if [ -f frontend/package.json ]; then
  fstamp=frontend/node_modules/.installed
  finputs=$(cat frontend/package.json frontend/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ ! -f "$fstamp" ] || [ "$(cat "$fstamp")" != "$finputs" ]; then
    echo "==> Installing npm packages"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
    echo "$finputs" > "$fstamp"
  else
    echo "==> npm packages are up to date"
  fi
fi

# Browser tests drive Debian's Chromium (never a downloaded browser build).
if [ "${TF_SKIP_BROWSER:-0}" != "1" ] && ! command -v chromium >/dev/null; then
  echo "==> Installing Chromium for the browser tests"
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
