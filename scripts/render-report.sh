#!/usr/bin/env bash
# Renders a simfund HTML report to a PNG with headless Chromium (Debian's
# `chromium` package, installed if missing), so anyone can look at it.
#
#   scripts/render-report.sh REPORT.html [OUT.png] [WIDTH]
set -euo pipefail
report=${1:?usage: scripts/render-report.sh REPORT.html [OUT.png] [WIDTH]}
png=${2:-${report%.html}.png}
width=${3:-1300}

if ! command -v chromium >/dev/null 2>&1; then
  echo "render-report: installing chromium from Debian's packages..." >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q chromium >/dev/null; }
fi

# Chromium needs a window height; measure the page by rendering tall, then crop
# the blank tail away with Python (if Pillow is there) so the PNG fits the report.
height=${HEIGHT:-6000}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$profile" \
  --window-size="${width},${height}" --screenshot="$png" "file://$(realpath "$report")" >/dev/null 2>&1
python3 - "$png" <<'PY' 2>/dev/null || true
import sys
from PIL import Image, ImageChops
path = sys.argv[1]
image = Image.open(path).convert("RGB")
background = Image.new("RGB", image.size, (255, 255, 255))
box = ImageChops.difference(image, background).getbbox()
if box:
    image.crop((0, 0, image.width, min(image.height, box[3] + 24))).save(path)
PY
echo "wrote $png"
