#!/usr/bin/env bash
# Install the Debian packages given as arguments when some are missing (as root only).
set -euo pipefail
missing=()
for pkg in "$@"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: not a Debian system; install the equivalent of: ${missing[*]}" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "note: missing Debian packages: ${missing[*]}" >&2
  echo "      run 'sudo apt-get install -y --no-install-recommends ${missing[*]}'" >&2
  echo "      (PDF reports and browser tests need them; everything else works without)" >&2
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
