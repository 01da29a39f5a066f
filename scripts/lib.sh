# Shared by scripts/demo and scripts/test: install what is missing, configure, build.
# Sourced, not run. Idempotent: a second run installs nothing and rebuilds only what changed.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}

# Every package the build, the tests and the demo use, all from Debian bookworm.
PACKAGES=(
  build-essential cmake pkg-config ca-certificates openssl
  libsdl2-dev libimgui-dev libsqlitecpp-dev libsqlite3-dev
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcpp-httplib-dev
  libsystemd-dev catch2 fonts-dejavu-core python3
  systemd dpkg-dev file lintian   # unit checks (systemd-analyze), cpack .debs and their lint
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_missing() {
  local missing=() p
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # Debian's libimgui-dev ships the SDL_Renderer backend only as documentation.
  # Slim images drop /usr/share/doc; recover the file from the same package.
  local backend=/usr/share/doc/libimgui-dev/examples/backends/imgui_impl_sdlrenderer.cpp
  if [ ! -f "$backend" ]; then
    log "restoring $backend from the libimgui-dev package"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download libimgui-dev >/dev/null && dpkg-deb -x libimgui-dev_*.deb x)
    ${sudo:-} mkdir -p "$(dirname "$backend")"
    ${sudo:-} cp "$tmp/x$backend" "$backend"
    rm -rf "$tmp"
  fi
}

build() {
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    log "configuring in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  fi
  log "building"
  cmake --build "$BUILD" -j"$(nproc)" "$@"
}
