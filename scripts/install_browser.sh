#!/usr/bin/env bash
# Install a headless browser for the HTML-report tests (tests/browser.py).
#
# Installs Debian's `chromium` and a CJK font (`fonts-noto-cjk`) with apt-get.
# The font is needed: without any CJK font installed, Chinese text in the
# reports renders as empty boxes in screenshots, and the reports must not
# fetch web fonts.  The browser tests are skipped when chromium is absent.
#
# Idempotent: does nothing when /usr/bin/chromium runs and a Chinese font is
# present.  Safe on CI: no prompts, reads no stdin.  Needs root (or
# passwordless sudo).  Exits non-zero with a message if anything fails.
#
#   bash scripts/install_browser.sh
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-noto-cjk)

say() { printf 'install_browser: %s\n' "$*"; }
die() { printf 'install_browser: ERROR: %s\n' "$*" >&2; exit 1; }

chromium_works() {
    [ -x "$CHROMIUM" ] && "$CHROMIUM" --version </dev/null >/dev/null 2>&1
}

cjk_font_present() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]
}

if chromium_works && cjk_font_present; then
    say "already installed: $("$CHROMIUM" --version 2>/dev/null), CJK font: $(fc-list :lang=zh family | head -n1)"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    die "must run as root (or with passwordless sudo) to apt-get install ${PACKAGES[*]}"
fi
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script supports Debian/Ubuntu only"

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)

say "apt-get update"
"${SUDO[@]}" apt-get update -q </dev/null \
    || die "apt-get update failed (is a Debian package mirror reachable?)"

say "apt-get install ${PACKAGES[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${PACKAGES[@]}" </dev/null \
    || die "apt-get install ${PACKAGES[*]} failed"

chromium_works || die "$CHROMIUM still does not run after installing"
cjk_font_present || die "no Chinese (CJK) font found by fc-list after installing fonts-noto-cjk"

say "done in $(( $(date +%s) - start ))s: $("$CHROMIUM" --version 2>/dev/null), CJK font: $(fc-list :lang=zh family | head -n1)"
