# specgate in a container: `docker build -t specgate .`, then
#   docker run --rm -v "$PWD/reports:/suite/reports" specgate run
# runs the shipped suite against the embedded emulator and writes the reports to ./reports.
# Against a real target, pass its profile and credentials as usual:
#   docker run --rm -e ALIBABA_CLOUD_ACCESS_KEY_ID -e ALIBABA_CLOUD_ACCESS_KEY_SECRET ... \
#     -v "$PWD/reports:/suite/reports" specgate run --target targets/alibaba-cloud.yaml
# Your own specs and cases: mount them over /suite/specs and /suite/cases.

# Build stage: the toolchain the project pins (rust-version in Cargo.toml), the locked graph.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
RUN cargo build --release --locked --bin specgate \
    && strip target/release/specgate

# Runtime stage: a small Debian with CA certificates (reqwest's rustls verifier reads the system's
# roots to check real clouds' certificates), the binary, the shipped suite, an unprivileged user.
FROM debian:bookworm-slim
# The CA bundle follows the Debian release's security updates: pinning its version would freeze
# the roots, so DL3008 is ignored on purpose.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /suite --create-home specgate
COPY --from=build /src/target/release/specgate /usr/local/bin/specgate
COPY --chown=specgate:specgate specs /suite/specs
COPY --chown=specgate:specgate cases /suite/cases
COPY --chown=specgate:specgate targets /suite/targets
USER 10001
WORKDIR /suite
ENTRYPOINT ["specgate"]
CMD ["run"]
