#!/usr/bin/env bash
# Debian packages the tests and the PDF stage need: Chromium (driven by Playwright through
# /usr/bin/chromium, or the browser named by $CHROMIUM; never `playwright install`), a CJK
# font (else screenshots and PDFs show boxes), poppler-utils (pdftotext, pdffonts) and epubcheck
# (the tests validate the EPUBs; run as `java -jar`, /usr/bin/epubcheck needs binfmt_misc).
# Installs them as root; otherwise names them.
set -euo pipefail
need=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
fc-list 2>/dev/null | grep -qiE 'Noto Sans CJK|Noto Serif CJK' || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null && command -v pdffonts >/dev/null || need+=(poppler-utils)
[ -f /usr/share/java/epubcheck.jar ] || need+=(epubcheck)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing ${need[*]} …"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
