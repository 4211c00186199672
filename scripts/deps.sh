#!/bin/sh
# Installs the Debian packages netius needs to build and test, if any are missing.
# Root runs apt-get directly, others use sudo; with neither, prints the command and fails.
set -eu

PACKAGES="
  build-essential cmake pkg-config dpkg-dev ccache
  libcli11-dev libspdlog-dev libfmt-dev libssl-dev libsodium-dev libc-ares-dev zlib1g-dev
  libbrotli-dev nlohmann-json3-dev libnghttp2-dev liburing-dev
  python3-dev libpython3-dev pybind11-dev python3-flask python3-django python3-bottle uwsgi uwsgi-plugin-python3 gunicorn
  libgtest-dev libgmock-dev
  openssl groff-base python3 python3-dkim python3-dnspython python3-nacl dnsmasq-base zsh fish
  curl nginx-light wrk apache2-utils haproxy nghttp2-client python3-h2 python3-websockets h2o
  swaks libnet-ssleay-perl python3-aiosmtpd
  chromium
  clang-14 libclang-rt-14-dev clang-tidy-14 cppcheck testssl.sh
"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"ok installed") ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -eq 0 ]; then
  run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run="sudo"
else
  echo "netius: deps: missing packages:$missing" >&2
  echo "netius: deps: run as root: apt-get update && $cmd" >&2
  exit 1
fi
echo "netius: deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Test peers (nginx, haproxy, dnsmasq) are started by the tests on loopback ports only:
# keep their packages from starting system-wide services (policy-rc.d exit 101 = "don't").
policy=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$policy" ]; then
  $run sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && own_policy=1
fi
status=0
$run apt-get update -qq && $run $cmd || status=$?  # shellcheck disable=SC2086
[ -n "$own_policy" ] && $run rm -f "$policy"
exit $status
