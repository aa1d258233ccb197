#!/bin/sh
# System packages the tests use: Noto CJK fonts (the page generator), Chromium (a screenshot
# of the HTML viewer) and Tesseract with eng/deu/fra/chi_sim/Fraktur data (the tesseract engine). Installed with apt when we are
# root on Debian/Ubuntu; otherwise the tests that need them skip with a message.
set -u
PKGS="fonts-noto-cjk fonts-dejavu-core chromium tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-chi-sim tesseract-ocr-frk"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages:$missing"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null \
        || echo "warning: apt-get could not install:$missing (tests that need them will skip)"
else
    echo "note: missing system packages:$missing — install them with apt to run every test (those tests skip)"
fi
exit 0
