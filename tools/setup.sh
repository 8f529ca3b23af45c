#!/bin/sh
# Installs the Debian 12 packages that xiangban builds, runs and tests with.
# Idempotent: packages already present are left alone, so rerunning is cheap.
# The fuzzers (fuzz/) need clang-14 with libclang-rt-14-dev, which holds
# libFuzzer's and the sanitizers' runtimes (clang only recommends it, and
# recommends are not installed here), and llvm-14 for llvm-symbolizer.
set -eu

PACKAGES="
build-essential autoconf automake autopoint gettext pkg-config
libdb5.3-dev db5.3-util
libgpgme-dev libgcrypt20-dev gnupg
libqrencode-dev
libncurses-dev
libjansson-dev
libcsv-dev libxlsxwriter-dev libfreexl-dev libzip-dev libexpat1-dev
python3-openpyxl
libcmocka-dev
libcairo2-dev libpango1.0-dev fonts-wqy-zenhei
zbar-tools poppler-utils
locales tmux valgrind procps unzip
clang-14 libclang-rt-14-dev llvm-14
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

if [ -n "$missing" ]; then
    echo "setup: installing:$missing"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
    echo "setup: all packages present"
fi

# The tests run the program in Chinese; the locale must exist.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
    echo "setup: generating zh_CN.UTF-8 locale"
    if [ -f /etc/locale.gen ] && grep -q '^# *zh_CN.UTF-8 UTF-8' /etc/locale.gen; then
        $SUDO sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen
    elif ! grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
        echo 'zh_CN.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
    fi
    $SUDO locale-gen
fi
