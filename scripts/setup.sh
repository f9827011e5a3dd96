#!/usr/bin/env bash
# Prepare a development/test environment on a fresh Debian machine.
#   scripts/setup.sh          -> .venv with typhoon-tf and its [verify] extra (typhoon-tf verify)
#   scripts/setup.sh --test   -> also the pinned test tools and Debian's ignition package
# It ends by printing how to put .venv/bin on PATH (the README's commands say `typhoon-tf`).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian packages the tests run, by a command each provides: ignition (ignition-validate and
# the real Ignition binary, DESIGN §5), systemd (systemd-analyze verify of every unit),
# openssh-client (ssh-agent, ssh-add, ssh-keygen for the driver's preflight tests).
APT_TOOLS=(
  ignition-validate:ignition
  /usr/lib/dracut/modules.d/30ignition/ignition:ignition
  systemd-analyze:systemd
  ssh-agent:openssh-client
  ssh-add:openssh-client
  ssh-keygen:openssh-client
)

missing_apt_packages() {
  local pair tool
  for pair in "${APT_TOOLS[@]}"; do
    tool=${pair%%:*}
    if [[ $tool == /* ]]; then [[ -x $tool ]] && continue; else command -v "$tool" >/dev/null && continue; fi
    echo "${pair#*:}"
  done | sort -u
}

# Under CI=true a missing tool fails the tests anyway: say here, loudly, what to install.
install_apt_tools() {
  local -a packages
  mapfile -t packages < <(missing_apt_packages)
  ((${#packages[@]} == 0)) && return 0
  if [[ $(id -u) != 0 ]]; then
    echo "setup: missing Debian packages: ${packages[*]}; run as root or 'sudo apt-get install -y ${packages[*]}'" >&2
    exit 1
  fi
  local log
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "${packages[@]}" >"$log" 2>&1; then
    # A fresh machine has no package lists yet.
    if ! { apt-get update -q && apt-get install -y -q "${packages[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2
      echo "setup: apt-get install ${packages[*]} failed (see above)" >&2
      exit 1
    fi
  fi
  rm -f "$log"
  mapfile -t packages < <(missing_apt_packages)
  if ((${#packages[@]} > 0)); then
    echo "setup: installed, but still missing the commands of: ${packages[*]}" >&2
    exit 1
  fi
}

if [[ $want_test == 1 ]]; then
  install_apt_tools
  .venv/bin/pip install -q -c requirements-ci.txt -e '.[test]'
else
  .venv/bin/pip install -q -c requirements-ci.txt -e '.[verify]'
fi

# An editable install leaves the package uncompiled, and where PYTHONDONTWRITEBYTECODE is
# set (CI machines) every typhoon-tf process, and every fake provider, would compile it
# again: byte-compile it once (Python checks each .pyc against its source, so an edit is
# never run stale).
.venv/bin/python -m compileall -q -j 0 typhoon_tf >/dev/null

# The venv is not on PATH: say how, with this checkout's absolute path (copy-pastable).
echo "typhoon-tf is installed in $PWD/.venv; to run it as \`typhoon-tf\`:"
echo "  export PATH=\"$PWD/.venv/bin:\$PATH\""
