#!/bin/sh
# Makes sure GNU MPFR, GMP and Check are found by pkg-config.  When one is
# missing and we are root with apt-get, installs the Debian packages and says
# so; otherwise prints the exact command to run and fails.
set -u
PKGS="libmpfr-dev libgmp-dev check pkg-config"
missing=""
if ! command -v pkg-config >/dev/null 2>&1; then
    missing="pkg-config"
else
    for m in mpfr gmp check; do
        pkg-config --exists "$m" || missing="$missing $m"
    done
fi
[ -z "$missing" ] && exit 0
echo "adjverify: missing build dependencies:$missing" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "adjverify: installing Debian packages: $PKGS" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq $PKGS >&2 || {
        echo "adjverify: apt-get failed; run: apt-get install $PKGS" >&2
        exit 1
    }
    exit 0
fi
echo "adjverify: run: sudo apt-get install $PKGS" >&2
exit 1
