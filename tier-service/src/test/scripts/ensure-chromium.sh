#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium, its WebDriver and a CJK font (for the Chinese labels) when they
# are missing. Used by the browser test; needs root and the Debian package mirror.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] && fc-list 2>/dev/null | grep -qi "WenQuanYi\|Noto Sans CJK"; then
  echo "chromium, chromedriver and a CJK font are installed"
  exit 0
fi
if [[ "$(id -u)" != "0" ]]; then
  echo "ensure-chromium: need root to apt-get install chromium chromium-driver fonts-wqy-microhei" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-wqy-microhei
