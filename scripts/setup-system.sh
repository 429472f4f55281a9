#!/usr/bin/env bash
# Installs the system packages Steward's tests start or open, from Debian's archive, when missing:
# chromium (the HTML report tests), redis-server (the app's shared-throttling test), prometheus (with
# promtool: the chaos SLO judge's tests) and prometheus-alertmanager (the incident tests). Uses sudo
# when not root. Point STEWARD_CHROMIUM at another Chromium or Chrome binary, STEWARD_REDIS_SERVER
# at another redis-server, STEWARD_PROMETHEUS at another prometheus (promtool beside it) or
# STEWARD_ALERTMANAGER at another Alertmanager, to skip that install.
set -euo pipefail
wanted=()
if [ -z "${STEWARD_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then wanted+=(chromium); fi
if [ -z "${STEWARD_REDIS_SERVER:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  wanted+=(redis-server)
fi
if [ -z "${STEWARD_PROMETHEUS:-}" ] &&
  ! { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; }; then
  wanted+=(prometheus)
fi
if [ -z "${STEWARD_ALERTMANAGER:-}" ] && ! command -v prometheus-alertmanager >/dev/null 2>&1; then
  wanted+=(prometheus-alertmanager)
fi
if [ "${#wanted[@]}" -eq 0 ]; then exit 0; fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
# Where an init system runs, Debian starts the packaged services on their usual ports; the tests
# start their own on free loopback ports, so those do not get in the way.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}"
