#!/usr/bin/env bash
# Install LibreOffice (Writer and Calc, no GUI extras) for the tests that check a written .docx/.xlsx
# converts to PDF (`libreoffice --headless --convert-to pdf`). Idempotent; needs root; no prompts.
# Without it those tests skip, saying why.
set -euo pipefail
say() { printf 'install_office: %s\n' "$*"; }
if command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/libswlo.so ] \
   && [ -e /usr/lib/libreoffice/program/libsclo.so ]; then
    say "already installed: $(soffice --version 2>/dev/null | head -n1)"
    exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "install_office: ERROR: must run as root to apt-get install" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
apt-get update -q </dev/null >/dev/null
apt-get install -y -q --no-install-recommends libreoffice-writer libreoffice-calc </dev/null >/dev/null \
    || { echo "install_office: ERROR: apt-get install libreoffice-writer libreoffice-calc failed" >&2; exit 1; }
say "installed $(soffice --version 2>/dev/null | head -n1) in $(( $(date +%s) - start )) s"
