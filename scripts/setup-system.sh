#!/usr/bin/env bash
# Installs the system packages Steward's tests start or open, from Debian's archive, when missing:
# chromium (the HTML report tests). Uses sudo when not root. Point STEWARD_CHROMIUM at another
# Chromium or Chrome binary to skip the install.
set -euo pipefail
if [ -n "${STEWARD_CHROMIUM:-}" ] || [ -x /usr/bin/chromium ]; then exit 0; fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
