#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 15-install.sh: installs that work: data files found from the build tree, under any PREFIX or
# DESTDIR, after moving the tree, and through RTR_DATADIR (tests/install/install.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
timeout 600 bash tests/install/install.sh
