#!/usr/bin/env bash
# Installs the Debian packages listed in test-packages.txt that are not installed yet (needs root and apt).
# A line may name a command after the package ("npm npm"): when that command is already on PATH (for example a
# Node.js installed from elsewhere), the package is not needed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()
while read -r pkg command _; do
  case "$pkg" in ""|\#*) continue ;; esac
  if [ -n "${command:-}" ] && command -v "$command" >/dev/null 2>&1; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < "$here/test-packages.txt"
[ "${#missing[@]}" = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-test-deps: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi
echo "install-test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
