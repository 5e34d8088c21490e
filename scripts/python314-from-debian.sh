#!/usr/bin/env bash
# Verified on Debian 12 bookworm, x86_64, as root: a private CPython
# 3.14 for Home Assistant 2026.3 and newer, on machines whose Debian ships no 3.14 and where no
# CPython 3.14 source or prebuilt download can be reached. Debian unstable's *binary* packages can:
# this unpacks them, with their own glibc, into PREFIX and points the interpreter at that glibc
# (patchelf), so nothing of the system changes. About 1 minute; ~40 MB of packages.
# Usage: python314-from-debian.sh PREFIX   ->  PREFIX/usr/bin/python3.14
# Venvs: `PREFIX/usr/bin/python3.14 -m venv --without-pip DIR`, then
#        `DIR/bin/python PREFIX/usr/share/python-wheels/pip-*.whl/pip install PREFIX/usr/share/python-wheels/pip-*.whl`
# (Debian's ensurepip looks for its wheels at the absolute /usr/share/python-wheels, which is the
# system's, too old for 3.14.)
set -euo pipefail
prefix=$(realpath -m "${1:?usage: python314-from-debian.sh PREFIX}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v patchelf >/dev/null || apt-get install -y -qq patchelf >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq patchelf >/dev/null; }
opts=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o Dir::State::Lists="$work/lists" -o Dir::State::Status=/dev/null
      -o Dir::Cache::Archives="$work/debs" -o APT::Sandbox::User=root)
mkdir -p "$work/lists/partial" "$work/debs/partial" "$prefix"
echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main' \
  > "$work/sources.list"
apt-get "${opts[@]}" update -qq
# The -dev packages: headers for the few requirements built from source (scripts/develop's).
packages=(python3.14 python3.14-minimal libpython3.14-minimal libpython3.14-stdlib python3-pip-whl
          python3.14-dev libpython3.14-dev
          python3-setuptools-whl libc6 libgcc-s1 libstdc++6 libexpat1 zlib1g libffi8 libssl3t64
          libsqlite3-0 liblzma5 libbz2-1.0 libzstd1 libuuid1 libncursesw6 libtinfo6 libreadline8t64
          libdb5.3t64 libmpdec4 media-types tzdata)
(cd "$work/debs" && apt-get "${opts[@]}" download "${packages[@]}" >/dev/null)
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$prefix"; done
lib="$prefix/usr/lib/x86_64-linux-gnu"
py="$prefix/usr/bin/python3.14"
# DT_RPATH (not RUNPATH) so the extension modules' libraries come from PREFIX as well.
patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath \
  --set-rpath "$lib:$prefix/lib/x86_64-linux-gnu" "$py"
"$py" -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, decimal, readline, uuid, venv, sys; print(sys.version)'
ls "$prefix"/usr/share/python-wheels/pip-*.whl >/dev/null
