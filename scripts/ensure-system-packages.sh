#!/usr/bin/env bash
# The system programs the tests need: PostgreSQL's server, Redis, Debian's Chromium and the
# libraries and fonts of WeasyPrint.
# As root with apt-get they are installed; otherwise the missing ones are named and this fails.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v xgettext >/dev/null || missing+=(gettext)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
ldconfig -p | grep -q libpangoft2-1.0 || missing+=(libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
ldconfig -p | grep -q libcairo.so.2 || missing+=(libcairo2)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need these Debian packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
