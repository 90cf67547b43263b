#!/usr/bin/env bash
# Runs the official Python SDKs against the emulator with signature verification on.
#
# Run from the repository root: bash tests/sdk/run.sh
# Builds the binary, creates (once) a venv under target/sdk-venv with the five SDK packages,
# starts the emulator on a free loopback port, runs tests/sdk/check_sdks.py against it and stops
# it. The last line is "N passed, M failed"; the exit status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

target_dir="${CARGO_TARGET_DIR:-target}"
venv="target/sdk-venv"
packages=(aliyun-python-sdk-core aliyun-python-sdk-kms alibabacloud-kms20160120 huaweicloudsdkkms huaweicloudsdkcore)

cargo build --quiet --bin specgate
server=("$target_dir/debug/specgate" serve)

if [ ! -f "$venv/.installed" ]; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"
    touch "$venv/.installed"
fi

log="$(mktemp)"
"${server[@]}" --port 0 --verify-signatures >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^specgate emulator listening on \(http:\/\/[^ ]*\)$/\1/p' "$log" | head -n 1)"
    [ -n "$url" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$log" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "the emulator did not print its URL" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

"$venv/bin/python" tests/sdk/check_sdks.py "$url"
