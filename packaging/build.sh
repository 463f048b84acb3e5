#!/usr/bin/env bash
# Build Closer for installation, and prove each build works.
#
#   bash packaging/build.sh frozen   # PyInstaller one-folder app in build/dist/closer/ (+ self-check)
#   bash packaging/build.sh dist     # wheel and sdist in build/python-dist/, each installed in a
#                                    # fresh venv and started there with `closer --self-check`
#   bash packaging/build.sh all      # both (the test command, dev.sh test, ends with this)
#
# Needs the development set-up first (`bash packaging/dev.sh test` makes .venv with PyInstaller
# and build). Each step prints how long it took. The self-checks run offscreen.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mode="${1:-all}"
venv="$here/.venv"
out="$here/build"
export QT_QPA_PLATFORM=offscreen
if [ ! -x "$venv/bin/pyinstaller" ] || ! "$venv/bin/python" -c 'import build' 2>/dev/null; then
  echo "PyInstaller or build is missing: run 'bash packaging/dev.sh test' first" >&2
  exit 1
fi

# A private place for the self-checks' settings and logs: never the user's own folders.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
check_env=(env XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
  XDG_STATE_HOME="$scratch/state" XDG_CACHE_HOME="$scratch/cache")

self_check() {  # self_check LABEL COMMAND...: run `COMMAND --self-check`, demand "self-check passed"
  local label="$1"; shift
  local log="$scratch/self-check-$label.txt"
  if ! "${check_env[@]}" "$@" --self-check --data-dir "$scratch/library" >"$log" 2>&1; then
    cat "$log" >&2
    echo "FAILED: the $label build's self-check" >&2
    return 1
  fi
  grep -q "self-check passed" "$log" || { cat "$log" >&2; return 1; }
  sed 's/^/    /' "$log"
}

frozen() {
  local began=$SECONDS
  echo "== frozen app (PyInstaller, one folder)"
  "$venv/bin/pyinstaller" --noconfirm --log-level WARN \
    --distpath "$out/dist" --workpath "$out/pyinstaller" packaging/closer.spec
  local app="$out/dist/closer/closer"
  self_check frozen "$app"
  # The bundled PortAudio, not the system's, is the one loaded.
  grep -q "PortAudio:.*$out/dist/closer/_internal/libportaudio" "$scratch/self-check-frozen.txt" || {
    echo "FAILED: the frozen app did not load its bundled PortAudio" >&2; return 1; }
  echo "   $(du -sh "$out/dist/closer" | cut -f1) in $out/dist/closer; built and checked in $((SECONDS - began)) s"
}

dist() {
  local began=$SECONDS
  echo "== wheel and sdist (python -m build)"
  rm -rf "$out/python-dist"
  # PYTHONDONTWRITEBYTECODE only makes setuptools warn that it skips byte-compiling, which a
  # wheel never holds anyway; without it, any warning left is a real one and fails the build.
  env -u PYTHONDONTWRITEBYTECODE "$venv/bin/python" -m build --outdir "$out/python-dist" . \
    >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log" >&2; return 1; }
  if grep -qi "warn" "$scratch/build.log"; then
    cat "$scratch/build.log" >&2
    echo "FAILED: building the wheel and sdist warned:" >&2
    grep -i "warn" "$scratch/build.log" >&2
    return 1
  fi
  local wheel sdist
  wheel="$(ls "$out"/python-dist/*.whl)"
  sdist="$(ls "$out"/python-dist/*.tar.gz)"
  "$venv/bin/python" packaging/check_dist.py "$wheel" "$sdist"
  # A fresh venv, as a user would: pip resolves the dependencies from the wheel's metadata.
  local fresh="$scratch/venv"
  "${PYTHON:-python3}" -m venv "$fresh"
  "$fresh/bin/python" -m pip install -q "$wheel"
  self_check wheel "$fresh/bin/closer"
  echo "   built, installed and checked in $((SECONDS - began)) s"
}

case "$mode" in
  frozen) frozen ;;
  dist) dist ;;
  all) dist; frozen ;;
  *) echo "usage: bash packaging/build.sh frozen|dist|all" >&2; exit 2 ;;
esac
