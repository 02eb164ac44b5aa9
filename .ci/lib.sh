# Shared by .ci/up and .ci/test: install what a fresh machine lacks, once. Sourced, not run.

# The wasm-bindgen version the SPA is built with: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Runs a `cargo install` with a release profile that compiles fast: no LTO, many codegen units,
# no optimisation. The tools run for seconds in a build (wasm-bindgen takes 2.6 s instead of
# 0.7 s on the SPA); their own profiles — trunk's is fat LTO with one codegen unit — are for
# shipping, and cost minutes on two cores.
quick_tool_build() {
  CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
  CARGO_PROFILE_RELEASE_DEBUG=false \
  CARGO_PROFILE_RELEASE_INCREMENTAL=false \
  "$@"
}

ensure_spa_toolchain() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  if ! trunk --version 2>/dev/null | grep -q '0.21.14'; then
    echo "installing trunk 0.21.14 (once; a few minutes)"
    # Without the crates.io update check (useless offline) and without trunk's own release
    # profile (fat LTO, one codegen unit): a build tool that runs for seconds does not need it.
    quick_tool_build cargo install trunk --version 0.21.14 --locked --no-default-features --features rustls
  fi
  local wb
  wb=$(wasm_bindgen_version)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " ${wb}\$"; then
    echo "installing wasm-bindgen-cli ${wb} (once; a few minutes)"
    # No --locked: its lock file names a crate the registry lacks.
    quick_tool_build cargo install wasm-bindgen-cli --version "${wb}"
  fi
}

build_spa() {
  TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true trunk build --release
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "installing Debian's chromium and chromium-driver for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "PostgreSQL is not answering on 127.0.0.1:5432; starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && return 0; sleep 1; done
    echo "PostgreSQL is required for the tests (127.0.0.1:5432, user postgres)" >&2
    return 1
  fi
}

# The protocols' reference implementations the tests check Larder against (npm packages).
ensure_protocol_references() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "installing Debian's nodejs and npm for the protocol audits"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  npm ci --prefix tests/protocol --no-audit --no-fund --silent
}
