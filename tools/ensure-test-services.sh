#!/usr/bin/env bash
# Install, without starting, the servers the test suite runs privately: PostgreSQL and Redis
# (Debian packages). Idempotent: does nothing when both are installed. The tests start their own
# throw-away instances on free ports (tests/servers.py), so the system services stay off.
set -euo pipefail
missing=()
for package in postgresql redis-server; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
echo "Cài gói cho kiểm thử / installing test service packages: ${missing[*]}"
policy=/usr/sbin/policy-rc.d  # exit 101: maintainer scripts must not start services
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
