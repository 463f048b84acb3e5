#!/usr/bin/env bash
# Add Closer to your desktop's application menu (for you only: nothing outside your home).
#
#   bash packaging/install-desktop.sh [--exec /path/to/closer]
#
# Installs the menu entry, the icon (SVG and PNG sizes) and the AppStream metainfo under
# ${XDG_DATA_HOME:-~/.local/share}. The entry starts, by default, the frozen build if there is
# one (build/dist/closer/closer, from `bash packaging/build.sh frozen`), else this checkout's
# .venv/bin/closer, else the `closer` on your PATH. `bash packaging/uninstall-desktop.sh` removes
# exactly these files again. Safe to run twice.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app_id="io.github.closer_desktop.Closer"
exec_path=""
if [ "${1:-}" = "--exec" ]; then
  exec_path="${2:?--exec needs the path of the closer program}"
elif [ -n "${1:-}" ]; then
  echo "usage: bash packaging/install-desktop.sh [--exec /path/to/closer]" >&2
  exit 2
fi
if [ -z "$exec_path" ]; then
  for candidate in "$here/build/dist/closer/closer" "$here/.venv/bin/closer" "$(command -v closer || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then exec_path="$candidate"; break; fi
  done
fi
if [ -z "$exec_path" ] || [ ! -x "$exec_path" ]; then
  echo "No closer program found: build it (bash packaging/build.sh frozen) or set it up" \
    "(bash packaging/dev.sh run), or name it with --exec." >&2
  exit 1
fi
exec_path="$(cd "$(dirname "$exec_path")" && pwd)/$(basename "$exec_path")"

data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
applications="$data_home/applications"
metainfo="$data_home/metainfo"
icons="$data_home/icons/hicolor"
mkdir -p "$applications" "$metainfo" "$icons/scalable/apps"

# Exec takes the program's full path (quoted: it may hold spaces), per the desktop entry spec.
sed "s|^Exec=.*|Exec=\"$exec_path\"|" "$here/packaging/linux/$app_id.desktop" \
  >"$applications/$app_id.desktop"
cp "$here/packaging/linux/$app_id.metainfo.xml" "$metainfo/$app_id.metainfo.xml"
cp "$here/resources/icons/closer.svg" "$icons/scalable/apps/$app_id.svg"
for png in "$here"/resources/icons/closer-*.png; do
  size="$(basename "$png" .png)"; size="${size#closer-}"
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$png" "$icons/${size}x${size}/apps/$app_id.png"
done

# Let the menu and the icon theme notice now rather than at the next login (when available).
command -v update-desktop-database >/dev/null && update-desktop-database -q "$applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
echo "Closer is in your application menu ($applications/$app_id.desktop, starting $exec_path)"
