#!/usr/bin/env bash
# Everything the test suite needs, in the active virtual environment:
# the package with its test and encoder extras, and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian chromium for the browser tests" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-core fonts-noto-cjk \
      >/dev/null || { apt-get update -q >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-core \
      fonts-noto-cjk >/dev/null; }
  else
    echo "note: no chromium and no root to install it; browser tests will be skipped" >&2
  fi
fi

python -m pip install -q --upgrade pip
# torch is pinned in the extra (2.13.0, a CPU wheel where one is on local disk).
python -m pip install -q -e '.[test,transformer]'
