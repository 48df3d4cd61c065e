#!/usr/bin/env bash
# The system tools the integration tests run for real: Prometheus and promtool (Debian's
# `prometheus` package) and Chromium (the HTML report is checked in a real browser).
# Run before `npm test` (npm's pretest) and by the integration lane's globalSetup.
#
#   scripts/test-prereqs.sh          check; install what is missing where allowed, else stop
#   scripts/test-prereqs.sh --check  check only; stop with the command to run if anything is missing
#
# Installing is allowed as root with apt-get, or in CI (CI set) with passwordless sudo.
# Anything else stops at once, before any test, printing the exact command: a missing tool
# is a loud failure, never a silently skipped test.
set -euo pipefail

TOOLS=(/usr/bin/prometheus /usr/bin/promtool /usr/bin/chromium)
PACKAGES=(prometheus chromium)
INSTALL="apt-get update && apt-get install -y --no-install-recommends ${PACKAGES[*]}"

missing() {
  local tool
  for tool in "${TOOLS[@]}"; do [[ -x "$tool" ]] || echo "$tool"; done
}

absent="$(missing)"
[[ -z "$absent" ]] && exit 0

stop() {
  {
    echo "shipgate tests: missing $(echo "$absent" | tr '\n' ' ')"
    echo "$1"
    echo "Install them with:"
    echo "  sudo sh -c '$INSTALL'"
    echo "(\`npm run test:unit\` needs none of them.)"
  } >&2
  exit 1
}

[[ "${1:-}" == "--check" ]] && stop "The integration tests run these for real."
command -v apt-get >/dev/null || stop "apt-get is not available here to install them."

if [[ "$(id -u)" == 0 ]]; then
  sudo=()
elif [[ -n "${CI:-}" ]] && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  stop "Installing them needs root."
fi

echo "shipgate tests: installing $(echo "$absent" | tr '\n' ' ')(Debian packages: ${PACKAGES[*]})" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
absent="$(missing)"
[[ -z "$absent" ]] || stop "apt-get finished, but they are still missing."
echo "shipgate tests: installed ${PACKAGES[*]}" >&2
