#!/usr/bin/env bash
# make tool-check: pack repro as a .NET tool, install it from ./artifacts into a temporary tool
# path (what `dotnet tool install --global --add-source ./artifacts repro` does, without touching
# the user's tools), and run it from an empty folder outside the clone: score-check on a PyTorch
# exact-score module must pass its threshold, a malformed file must give one line and exit 2.
# A few minutes (the package carries libtorch, ~200 MB compressed); not part of `make test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet=${DOTNET:-dotnet}
"$dotnet" pack "$root/src/Repro.Cli" -c Release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A private package cache: an earlier install of the same version must not stand in for this pack.
export NUGET_PACKAGES="$tmp/nuget"
"$dotnet" tool install repro --tool-path "$tmp/tools" --add-source "$root/artifacts" --version "$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/src/Repro.Cli/Repro.Cli.csproj")"
fixtures="$root/tests/Repro.Training.Tests/Fixtures/torchscript"
cd "$tmp"   # no experiments/ here: the definitions bundled with the tool answer
"$tmp/tools/repro" score-check "$fixtures/exact-1d-two-gaussians.pt" --against dsm-1d-two-gaussians --sigma 1.25 \
  --points 2000 --max-relative-l2 1e-5 --junit "$tmp/score.xml"
grep -q 'failures="0"' "$tmp/score.xml"
set +e
"$tmp/tools/repro" score-check "$fixtures/not-a-model.pt" --against dsm-1d-two-gaussians 2> "$tmp/error.txt"
code=$?
set -e
if [ "$code" -ne 2 ] || [ "$(wc -l < "$tmp/error.txt")" -ne 1 ]; then
  echo "tool-check: a malformed model gave exit $code and:"; cat "$tmp/error.txt"; exit 1
fi
echo "tool-check: the packed tool installs and runs score-check (exit 0 on an exact score, exit 2 with one line on a malformed file)"
