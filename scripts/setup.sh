#!/usr/bin/env bash
# Prepare a development/test environment on a fresh Debian machine.
#   scripts/setup.sh          -> .venv with typhoon-tf installed
#   scripts/setup.sh --test   -> also the pinned test tools and Debian's ignition package
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [[ $want_test == 1 ]]; then
  # Debian's ignition gives us ignition-validate and the real ignition binary (DESIGN §5).
  if ! command -v ignition-validate >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -q ignition >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q ignition >/dev/null; }
    else
      echo "setup: ignition-validate missing; run as root or 'sudo apt-get install ignition'" >&2
    fi
  fi
  if ! command -v systemd-analyze >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    apt-get install -y -q systemd >/dev/null 2>&1 || true
  fi
  # Chromium and its WebDriver for the documentation site's browser test (tests/test_docs_site.py).
  if ! command -v chromedriver >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }
    else
      echo "setup: chromedriver missing; run as root or 'sudo apt-get install chromium chromium-driver'" >&2
    fi
  fi
  .venv/bin/pip install -q -c requirements-ci.txt -e '.[test]'
else
  .venv/bin/pip install -q -c requirements-ci.txt -e .
fi
