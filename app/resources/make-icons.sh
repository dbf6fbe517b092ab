#!/usr/bin/env bash
# Regenerates Strata's PNG icons from icon.svg and the tray marks below (needs ImageMagick's convert).
# The PNGs are committed; run this only after changing a drawing.
#   icon.png                 1024 px, for electron-builder (it derives .ico and .icns from it)
#   tray/tray-<state>.png    16 px tray icon per state, and tray-<state>@2x.png at 32 px for HiDPI
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

convert -background none -density 96 icon.svg -resize 1024x1024 icon.png

# The layers mark with a badge that tells the state by shape as well as colour.
mark='<path d="M32 6 L58 19 L32 32 L6 19 Z" fill="#1f5fbf" stroke="none"/>
<path d="M12 28 L32 38 L52 28 L58 31 L32 44 L6 31 Z" fill="#1f5fbf" stroke="none"/>
<path d="M12 40 L32 50 L52 40 L58 43 L32 56 L6 43 Z" fill="#1f5fbf" stroke="none"/>'
declare -A badge=(
  [protected]='<circle cx="49" cy="49" r="14" fill="#1b7a3d" stroke="#ffffff" stroke-width="3"/><path d="M42 49 L47 54 L56 44" fill="none" stroke="#ffffff" stroke-width="4"/>'
  [attention]='<path d="M49 33 L64 61 L34 61 Z" fill="#d98e04" stroke="#ffffff" stroke-width="3"/><rect x="47" y="41" width="4" height="11" fill="#ffffff" stroke="none"/><rect x="47" y="54" width="4" height="4" fill="#ffffff" stroke="none"/>'
  [paused]='<circle cx="49" cy="49" r="14" fill="#5a6474" stroke="#ffffff" stroke-width="3"/><rect x="43" y="42" width="4" height="14" fill="#ffffff" stroke="none"/><rect x="51" y="42" width="4" height="14" fill="#ffffff" stroke="none"/>'
  [stopped]='<circle cx="49" cy="49" r="14" fill="#b3261e" stroke="#ffffff" stroke-width="3"/><path d="M43 43 L55 55 M55 43 L43 55" fill="none" stroke="#ffffff" stroke-width="4"/>'
)
mkdir -p tray
for state in protected attention paused stopped; do
  svg="tray/tray-${state}.svg"
  printf '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n%s\n%s\n</svg>\n' "$mark" "${badge[$state]}" > "$svg"
  convert -background none -density 384 "$svg" -resize 16x16 "tray/tray-${state}.png"
  convert -background none -density 384 "$svg" -resize 32x32 "tray/tray-${state}@2x.png"
  rm "$svg"
done
