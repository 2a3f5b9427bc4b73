#!/usr/bin/env bash
# Fetches chainladder-python's own sample CSVs (MPL-2.0) that the browser
# tests import as a user would: clrd.csv (775 company × line triangles) and
# prism.csv (34,244 claim-level payments), with raa.csv and genins.csv. They
# come from the package's wheel on PyPI, unpacked into target/samples; a
# later run finds them there and does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=target/samples
VERSION=0.10.1
FILES="clrd.csv prism.csv raa.csv genins.csv quarterly.csv"
missing=0
for f in $FILES; do [ -s "$DEST/$f" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
echo "samples: fetching chainladder $VERSION's sample files from PyPI"
mkdir -p "$DEST/wheel"
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$DEST/wheel" "chainladder==$VERSION"
python3 - "$DEST" $FILES <<'PY'
import glob, os, sys, zipfile
dest, names = sys.argv[1], sys.argv[2:]
wheel = sorted(glob.glob(os.path.join(dest, "wheel", "chainladder-*.whl")))[-1]
with zipfile.ZipFile(wheel) as z:
    for name in names:
        data = z.read(f"chainladder/utils/data/{name}")
        with open(os.path.join(dest, name), "wb") as f:
            f.write(data)
print("samples:", ", ".join(names), "in", dest)
PY
