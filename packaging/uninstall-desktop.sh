#!/usr/bin/env bash
# Remove Closer's menu entry, icons and metainfo that install-desktop.sh added.
#
#   bash packaging/uninstall-desktop.sh
#
# Removes only those files (named after the app id) under ${XDG_DATA_HOME:-~/.local/share}; your
# recordings, settings and logs are not touched.
set -euo pipefail

app_id="io.github.closer_desktop.Closer"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
icons="$data_home/icons/hicolor"
removed=0
for file in "$data_home/applications/$app_id.desktop" "$data_home/metainfo/$app_id.metainfo.xml" \
  "$icons"/*/apps/"$app_id".png "$icons/scalable/apps/$app_id.svg"; do
  if [ -f "$file" ]; then rm -f "$file"; removed=$((removed + 1)); fi
done
command -v update-desktop-database >/dev/null && [ -d "$data_home/applications" ] \
  && update-desktop-database -q "$data_home/applications" || true
echo "Removed $removed file(s): Closer's menu entry is gone (your recordings are untouched)."
