#!/usr/bin/env bash
# Installs the system packages the tests drive for real, when they are missing:
# a Java runtime (HermiT, through owlready2), Debian's Chromium (Playwright) and
# Virtuoso 7 (the push/query round trip against a second real triplestore).
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ "${PCCGRAPH_BROWSER:-1}" = "1" ] && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
