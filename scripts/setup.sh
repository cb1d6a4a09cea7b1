#!/usr/bin/env bash
# Set up pilot-docs on a Debian machine: system packages (CJK fonts, Pango, HarfBuzz subsetting, poppler),
# a virtual environment in .venv, and the package with its test tools. With --test it also installs what only
# the tests need (Chromium, to check build/index.html; LibreOffice Writer and Calc, to paginate the DOCX as Word
# and WPS would and to save a return form as an office would). Safe to run again: it only installs what is missing.
# LibreOffice Writer is also what lays out an agency's own .docx year-end summary in the PDF volume
# (render/external.py): an office that receives .docx summaries installs it (--test does).
# Needs root (or sudo) for apt-get the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(fonts-noto-cjk fonts-lxgw-wenkai fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          poppler-utils)
[ "${1:-}" = "--test" ] && PACKAGES+=(chromium libreoffice-writer-nogui libreoffice-calc-nogui)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv || { echo "setup: python3 -m venv failed; apt-get install python3-venv"; exit 1; }
fi
log=$(mktemp)
if ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" >"$log" 2>&1; then
  cat "$log"; rm -f "$log"; echo "setup: pip install failed"; exit 1
fi
rm -f "$log"
.venv/bin/python -c "import pilot_docs" && echo "setup: ready (.venv/bin/pilot-docs)"
