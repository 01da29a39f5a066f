#!/usr/bin/env bash
# Both systemd units: `systemd-analyze verify` is clean and `systemd-analyze
# security --offline=yes` scores 2.5 or lower (issue: On the Pi).
# usage: check_units.sh SOURCE_DIR KIOSK_BIN SERVER_BIN
# verify checks that ExecStart exists, so each unit is checked with its /usr/bin
# path pointed at the binary just built; man pages are not installed here (--man=no).
set -euo pipefail
src=$1 kiosk_bin=$2 server_bin=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {
  local unit=$1 name=$2 bin=$3 installed=$4
  sed "s#$installed#$bin#" "$src/$unit" > "$tmp/$name"
  grep -q "ExecStart=$bin " "$tmp/$name" || { echo "FAIL: $unit does not start $installed"; fail=1; }
  local out
  if ! out=$(cd "$tmp" && systemd-analyze verify --man=no "./$name" 2>&1) || [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify $unit:"; echo "$out"; fail=1
  else
    echo "ok: systemd-analyze verify $unit is clean"
  fi
  local score
  score=$(cd "$tmp" && systemd-analyze security --offline=yes "./$name" 2>&1 | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
  if [ -z "$score" ]; then
    echo "FAIL: no security score for $unit"; fail=1
  elif awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'; then
    echo "ok: $unit security exposure $score (threshold 2.5)"
  else
    echo "FAIL: $unit security exposure $score is over 2.5"; fail=1
  fi
}
check kiosk.service studio-kiosk.service "$kiosk_bin" /usr/bin/studio-kiosk
check studio-server.service studio-server.service "$server_bin" /usr/bin/studio-server

# What the issue asks of the kiosk unit, line by line.
need() { grep -qx -- "$2" "$src/$1" || { echo "FAIL: $1 lacks: $2"; fail=1; }; }
need kiosk.service "Type=notify"
need kiosk.service "WatchdogSec=30"
need kiosk.service "Restart=always"
need kiosk.service "StartLimitIntervalSec=0"
need kiosk.service "User=studio-kiosk"
need kiosk.service "SupplementaryGroups=video render input"
need kiosk.service "Environment=SDL_VIDEODRIVER=kmsdrm"
need kiosk.service "StateDirectory=studio-kiosk"
need kiosk.service "ConfigurationDirectory=studio-kiosk"
need kiosk.service "DevicePolicy=closed"
need kiosk.service "RestartPreventExitStatus=78"
need studio-server.service "Type=notify"
need studio-server.service "RestartPreventExitStatus=78"
if grep -Eq '^(After|Wants|Requires)=.*(network-online|time-sync|systemd-timesyncd)' "$src/kiosk.service"; then
  echo "FAIL: kiosk.service waits for the network or time sync"; fail=1
fi
if grep -q '^PrivateDevices=yes' "$src/kiosk.service"; then
  echo "FAIL: kiosk.service hides /dev/dri and /dev/input with PrivateDevices="; fail=1
fi
exit $fail
