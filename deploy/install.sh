#!/usr/bin/env bash
# Installs twinfeed on a cabinet controller (Raspberry Pi OS / Debian with systemd), from a checkout:
#   sudo deploy/install.sh --board rpi4-gpio-modbus [--no-start]
#   sudo deploy/install.sh --uninstall [--purge]
#   deploy/install.sh --board NAME --print-config   (which shipped config goes with that board)
# Creates the twinfeed user, installs to /opt/twinfeed, config in /etc/twinfeed, udev rules and the
# systemd unit. Re-running upgrades the program and never overwrites a config or board you edited.
# --uninstall removes the program, unit and udev rules but keeps /etc/twinfeed and /var/lib/twinfeed
# (config, persisted state, journal) unless --purge is given too.
set -euo pipefail

# TWINFEED_INSTALL_ROOT stages every path under another folder (the tests use it).
ROOT="${TWINFEED_INSTALL_ROOT:-}"
PREFIX=$ROOT/opt/twinfeed
ETC=$ROOT/etc/twinfeed
STATE=$ROOT/var/lib/twinfeed
UNIT_DIR=$ROOT/etc/systemd/system
UDEV_DIR=$ROOT/etc/udev/rules.d
BOARD=""
START=1
UNINSTALL=0
PURGE=0
PRINT_CONFIG=0

usage() {
  cat <<USAGE
usage: $0 --board NAME|FILE [--no-start]
       $0 --uninstall [--purge]
  --board NAME   a board file from boards/ (e.g. rpi4-gpio-modbus, arduino-firmata) or a path
  --no-start     install and enable, but do not start the service now
  --print-config print the shipped config that goes with the board, and exit (no root needed)
  --uninstall    stop and remove the service, program, unit and udev rules; keeps $ETC and $STATE
  --purge        with --uninstall: also remove $ETC, $STATE and the twinfeed user
USAGE
}

die() { echo "install.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --board) BOARD="${2:-}"; shift 2 ;;
    --no-start) START=0; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) PURGE=1; shift ;;
    --print-config) PRINT_CONFIG=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The board file, and the config shipped for it: deploy/config.<board>.yaml when there is one (a
# board that senses the feeds digitally needs a config that says so), else deploy/config.example.yaml.
resolve_board() {
  if [ -f "$BOARD" ]; then
    BOARD_FILE="$(realpath "$BOARD")"
  elif [ -f "$SRC/boards/$BOARD.yaml" ]; then
    BOARD_FILE="$SRC/boards/$BOARD.yaml"
  else
    die "no board \"$BOARD\" (known: $(cd "$SRC/boards" && ls -- *.yaml | sed 's/\.yaml$//' | tr '\n' ' '))"
  fi
  CONFIG_FILE="$SRC/deploy/config.$(basename "$BOARD_FILE" .yaml).yaml"
  [ -f "$CONFIG_FILE" ] || CONFIG_FILE="$SRC/deploy/config.example.yaml"
}
if [ "$PRINT_CONFIG" -eq 1 ]; then
  [ -n "$BOARD" ] && [ "$UNINSTALL" -eq 0 ] || { usage >&2; exit 2; }
  resolve_board
  echo "$CONFIG_FILE"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 ...)"

if [ "$UNINSTALL" -eq 1 ]; then
  [ -z "$BOARD" ] || { echo "install.sh: --uninstall takes no --board" >&2; usage >&2; exit 2; }
  echo "== stopping and removing the service"
  # The contactors hold their position when the controller stops (a stop never opens a breaker).
  systemctl disable --now twinfeed.service 2>/dev/null || true
  rm -f "$UNIT_DIR/twinfeed.service"
  systemctl daemon-reload || true
  rm -f "$UDEV_DIR/99-twinfeed.rules"
  udevadm control --reload || true
  echo "== removing $PREFIX"
  rm -rf "$PREFIX"
  if [ "$PURGE" -eq 1 ]; then
    echo "== purging $ETC, $STATE and the twinfeed user"
    rm -rf "$ETC" "$STATE"
    if id -u twinfeed >/dev/null 2>&1; then userdel twinfeed || true; fi
    echo "twinfeed is removed, with its configuration, state and journal."
  else
    echo "twinfeed is removed. Kept: $ETC (config, board) and $STATE (state, journal); --uninstall --purge removes them."
  fi
  exit 0
fi
[ "$PURGE" -eq 0 ] || { echo "install.sh: --purge goes with --uninstall" >&2; usage >&2; exit 2; }
[ -n "$BOARD" ] || { usage >&2; exit 2; }

resolve_board

# Node 20 or later (Debian bookworm ships 18: use trixie's nodejs or NodeSource).
command -v node >/dev/null || die "node is not installed (Node.js 20 or later is needed)"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] || die "node $(node -v) is too old: twinfeed needs Node.js 20 or later"
[ "$(command -v node)" = /usr/bin/node ] || echo "note: node is $(command -v node); the unit runs /usr/bin/node" >&2

echo "== building in $SRC"
if [ ! -f "$SRC/dist/src/cli/main.js" ] || [ -n "$(find "$SRC/src" -newer "$SRC/dist/src/cli/main.js" -name '*.ts' -print -quit)" ]; then
  (cd "$SRC" && npm ci && npm run build)
fi

echo "== user and groups"
getent group gpio >/dev/null || groupadd --system gpio
getent group dialout >/dev/null || groupadd --system dialout
id -u twinfeed >/dev/null 2>&1 || useradd --system --home-dir /var/lib/twinfeed --no-create-home --shell /usr/sbin/nologin twinfeed
usermod -a -G gpio,dialout twinfeed

echo "== installing to $PREFIX"
install -d -m 0755 "$PREFIX"
rm -rf "$PREFIX/dist"
cp -a "$SRC/dist" "$PREFIX/dist"
rm -rf "$PREFIX/dist/test"
cp -a "$SRC/boards" "$SRC/deploy" "$SRC/package.json" "$SRC/package-lock.json" "$PREFIX/"
# The dashboard's page, served from src/runtime/dashboard/web/ (uPlot comes with npm ci below).
rm -rf "$PREFIX/src" && install -d "$PREFIX/src/runtime/dashboard" && cp -a "$SRC/src/runtime/dashboard/web" "$PREFIX/src/runtime/dashboard/"
[ -f "$SRC/README.md" ] && cp "$SRC/README.md" "$PREFIX/"
[ -d "$SRC/sim/scenarios" ] && install -d "$PREFIX/sim" && cp -a "$SRC/sim/scenarios" "$PREFIX/sim/"
# Already built: the installed copy must not try to compile TypeScript (no dev dependencies there).
(cd "$PREFIX" && npm pkg delete scripts.prepare && npm ci --omit=dev --no-audit --no-fund)
chown -R root:root "$PREFIX"

echo "== configuration in $ETC"
install -d -m 0750 -o root -g twinfeed "$ETC"
place() { # place SRC DEST: install unless the operator already has one; then leave a .new beside it
  if [ -e "$2" ] && ! cmp -s "$1" "$2"; then
    install -m 0640 -o root -g twinfeed "$1" "$2.new"
    echo "kept your $2 (the shipped one is $2.new)"
  else
    install -m 0640 -o root -g twinfeed "$1" "$2"
  fi
}
place "$CONFIG_FILE" "$ETC/config.yaml"
place "$BOARD_FILE" "$ETC/board.yaml"
install -m 0644 "$SRC/deploy/nftables-twinfeed.nft" "$ETC/nftables-twinfeed.nft.example"

echo "== checking config and board"
runuser -u twinfeed -- /usr/bin/node "$PREFIX/dist/src/cli/main.js" check-config "$ETC/config.yaml" --board "$ETC/board.yaml" ||
  die "fix the errors above in $ETC, then run: systemctl restart twinfeed"

echo "== udev rules and systemd unit"
install -m 0644 "$SRC/deploy/99-twinfeed.rules" "$UDEV_DIR/99-twinfeed.rules"
udevadm control --reload && udevadm trigger --subsystem-match=tty --subsystem-match=gpio || true
install -m 0644 "$SRC/deploy/twinfeed.service" "$UNIT_DIR/twinfeed.service"
systemctl daemon-reload
systemctl enable twinfeed.service
if [ "$START" -eq 1 ]; then
  systemctl restart twinfeed.service
  systemctl --no-pager --lines=5 status twinfeed.service || true
fi

cat <<DONE

twinfeed is installed.
  config:   $ETC/config.yaml      board: $ETC/board.yaml
  logs:     journalctl -u twinfeed -f
  firewall: review $ETC/nftables-twinfeed.nft.example before loading it (port 502 is open to SCADA only)
DONE
