#!/usr/bin/env bash
# Install Debian's chromium for the app's browser test (tests/test_app_browser.py) when no Chromium is found.
# Idempotent: exits 0 at once when one is already there (on PATH, or $XBSIM_CHROMIUM points to one).
# Exits non-zero with a message when it cannot install one (no apt-get, not root, package unavailable).
# Playwright's own browser download is never used: it needs outside network that this project may not have.
set -uo pipefail

CANDIDATES="chromium chromium-browser google-chrome google-chrome-stable"

find_browser() {
  if [ -n "${XBSIM_CHROMIUM:-}" ]; then
    [ -x "$XBSIM_CHROMIUM" ] && { echo "$XBSIM_CHROMIUM"; return 0; }
    return 1
  fi
  local name
  for name in $CANDIDATES; do
    command -v "$name" 2>/dev/null && return 0
  done
  return 1
}

version_of() { "$1" --version 2>/dev/null | head -n 1; }

if browser=$(find_browser); then
  echo "install-browser: already installed: $browser ($(version_of "$browser"))"
  exit 0
fi
if [ -n "${XBSIM_CHROMIUM:-}" ]; then
  echo "install-browser: XBSIM_CHROMIUM=$XBSIM_CHROMIUM is not an executable file" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: cannot install chromium: apt-get not found (not a Debian-like system);" \
       "install Chromium yourself and set XBSIM_CHROMIUM to its executable" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-browser: cannot install chromium: apt-get needs root (run as root or with sudo)" >&2
    exit 1
  fi
fi

log=$(mktemp -t install-browser.XXXXXX)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
echo "install-browser: installing Debian's chromium with apt-get"
if ! $SUDO apt-get update -qq >"$log" 2>&1; then
  echo "install-browser: 'apt-get update' failed:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
if ! $SUDO apt-get install -y -qq chromium >"$log" 2>&1; then
  echo "install-browser: 'apt-get install chromium' failed:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
if ! browser=$(find_browser); then
  echo "install-browser: chromium was installed but no browser executable was found on PATH" >&2
  exit 1
fi
echo "install-browser: installed $browser ($(version_of "$browser"))"
