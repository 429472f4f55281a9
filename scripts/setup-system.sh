#!/usr/bin/env bash
# Installs the system packages Steward's tests start or open, from Debian's archive, when missing:
# chromium (the HTML report tests) and redis-server (the app's shared-throttling test). Uses sudo
# when not root. Point STEWARD_CHROMIUM at another Chromium or Chrome binary, or STEWARD_REDIS_SERVER
# at another redis-server, to skip that install.
set -euo pipefail
wanted=()
if [ -z "${STEWARD_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then wanted+=(chromium); fi
if [ -z "${STEWARD_REDIS_SERVER:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  wanted+=(redis-server)
fi
if [ "${#wanted[@]}" -eq 0 ]; then exit 0; fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}"
