#!/usr/bin/env bash
# The .deb packages: cpack builds them from this build, their contents, control
# files and maintainer scripts are what an install needs, and lintian has nothing
# to say beyond the overrides each package explains (packaging/*/lintian-overrides).
# usage: check_debs.sh BUILD_DIR
set -euo pipefail
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
arch=$(dpkg --print-architecture)
fail=0
for name in studio-kiosk studio-server; do
  deb=$(ls "$out"/${name}_*_"$arch".deb 2>/dev/null | head -1)
  [ -n "$deb" ] || { echo "FAIL: no $name .deb for $arch"; fail=1; continue; }
  echo "ok: built $(basename "$deb")"
  files=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's#^\./#/#')
  case $name in
    studio-kiosk) conf=/etc/studio-kiosk/kiosk.conf unit=/lib/systemd/system/studio-kiosk.service
                  extra="/usr/bin/studio-kiosk /lib/udev/rules.d/90-studio-kiosk-usb.rules /usr/share/man/man1/studio-kiosk.1.gz" ;;
    studio-server) conf=/etc/studio-server/server.conf unit=/lib/systemd/system/studio-server.service
                  extra="/usr/bin/studio-server /usr/share/man/man1/studio-server.1.gz" ;;
  esac
  for f in $conf $unit $extra /usr/share/doc/$name/copyright /usr/share/doc/$name/changelog.Debian.gz \
           /usr/share/doc/$name/README.md /usr/share/lintian/overrides/$name; do
    grep -qx -- "$f" <<<"$files" || { echo "FAIL: $name lacks $f"; fail=1; }
  done
  # Nothing under /var: the data folder belongs to systemd's StateDirectory= and is never in a package.
  if grep -q '^/var' <<<"$files"; then echo "FAIL: $name ships files under /var"; fail=1; fi
  # The binary inside runs (stripped, not a leftover).
  dpkg-deb -x "$deb" "$out/root-$name"
  "$out/root-$name/usr/bin/$name" --help >/dev/null 2>&1 || { echo "FAIL: $name --help from the package"; fail=1; }
  # The config is a conffile: dpkg keeps the admin's edits on upgrade and removal.
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx "$conf" || { echo "FAIL: $conf is not a conffile"; fail=1; }
  # Maintainer scripts: valid shell; the user is created; data and user survive purge.
  for s in postinst prerm postrm; do
    dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./$s > "$out/$name.$s"
    sh -n "$out/$name.$s" || { echo "FAIL: $name $s is not valid sh"; fail=1; }
  done
  grep -q "adduser --system --group" "$out/$name.postinst" || { echo "FAIL: $name postinst creates no user"; fail=1; }
  if grep -Eq 'rm -r|deluser|userdel' "$out/$name.postrm"; then echo "FAIL: $name postrm deletes data or the user"; fail=1; fi
  deps=$(dpkg-deb -f "$deb" Depends)
  for d in adduser libc6 libsqlite3-0 libssl3; do
    grep -q "$d" <<<"$deps" || { echo "FAIL: $name does not depend on $d ($deps)"; fail=1; }
  done
  [ "$name" = studio-kiosk ] && for d in libsdl2-2.0-0 libcurl4 libsystemd0 fonts-dejavu-core; do
    grep -q "$d" <<<"$deps" || { echo "FAIL: studio-kiosk does not depend on $d"; fail=1; }
  done
  echo "ok: $name contents, conffile, maintainer scripts and dependencies"
done
# lintian: errors and warnings fail; overridden tags are explained in the package.
lint_rc=0
lint=$(lintian --fail-on error,warning "$out"/*.deb 2>&1) || lint_rc=$?
lint=$(grep -v 'running with root privileges' <<<"$lint" || true)
if [ $lint_rc -ne 0 ]; then echo "FAIL: lintian (exit $lint_rc):"; echo "$lint"; fail=1; fi
[ $fail -eq 0 ] && echo "ok: lintian has no errors or warnings${lint:+ (notes: $lint)}"
exit $fail
