#!/bin/bash
# setup.sh - prepare a fresh Debian 12 machine for building and testing fcgi-suexec.
#
# Run as root from anywhere:  ./setup.sh
#   1. apt-get update and install the build, test and demo dependencies
#   2. make
#   3. start the demo (examples/demo/demo.sh start) unless SETUP_NO_DEMO=1
#
# Installing the nginx package may start the system's nginx service (port 80);
# the demo and the tests never use or change it: they run private nginx
# instances with their own configuration.
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"

if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: must be run as root" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
    build-essential pkg-config
    libcap-dev libseccomp-dev libbsd-dev
    php8.2-cgi
    nginx-light
    spawn-fcgi
    supervisor                  # tests/40-callers.t: a private supervisord
    fuse3 bindfs                # tests/27-fuse.t: a user's FUSE mount that lies about owners
    iproute2 nftables           # tests/41-two-hosts.t: namespaces, a firewall in one
    systemd                     # systemd-analyze verify of examples/systemd
    apache2 libapache2-mod-fcgid apache2-suexec-pristine
    clang libclang-rt-14-dev    # make fuzz: libFuzzer (only recommended by clang)
    clang-tidy cppcheck         # make analyze
    hyperfine wrk php8.2-fpm    # make bench: launch cross-check, HTTP load, the php-fpm comparison
    gnuplot-nox                 # make bench: docs/benchmarks.png
    curl
    debhelper dpkg-dev fakeroot lintian devscripts   # tests/80-deb.t: the Debian package, built and linted
    chromium                    # tests/75-demo.t: the demo's pages rendered headless, as a browser shows them
    # tests/70-apps.t: real applications on a private MariaDB. "php" first, so
    # that wordpress's "libapache2-mod-php | php" takes it (php8.2-cgi gives
    # it its php8.2) and mod_php is not pulled in and enabled in Apache.
    php php8.2-mysql php8.2-gd php8.2-xml
    wordpress wordpress-theme-twentytwentyone
    dokuwiki
    mariadb-server mariadb-client
    strace                      # tests/14-tmpdir.t: a launch killed at a chosen system call
    libcap2-bin                 # tests/38-nsopt.t: capsh, a caller without CAP_SYS_ADMIN
    mandoc
    perl
    util-linux
    passwd
)

# dokuwiki's default answer enables its configuration in /etc/apache2 and
# reloads Apache; the tests never use it: configure no web server
echo "dokuwiki dokuwiki/system/configure-webserver multiselect " | debconf-set-selections

echo "setup.sh: apt-get update"
apt-get update -q

echo "setup.sh: installing ${PACKAGES[*]}"
if ! apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"; then
    # The only known way for this to fail on a sane machine is a package's
    # maintainer script failing to start its service (e.g. nginx when port 80
    # is taken by something invoke-rc.d does not recognise).  Retry with
    # service starts disabled for the duration of the install; the project
    # never needs the system services.
    echo "setup.sh: apt-get install failed; retrying with service starts disabled" >&2
    if [ -e /usr/sbin/policy-rc.d ]; then
        # An existing policy already decides; nothing more we can do.
        dpkg --configure -a
        apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
    else
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
        dpkg --configure -a
        apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
        rm -f /usr/sbin/policy-rc.d
        trap - EXIT
    fi
fi

for cmd in cc make pkg-config php-cgi8.2 nginx spawn-fcgi mariadbd mariadb-install-db supervisord supervisorctl nft ip nsenter systemd-analyze curl mandoc prove setpriv useradd chage strace script capsh; do
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
        echo "setup.sh: '$cmd' is still missing after the install" >&2
        exit 1
    fi
done

echo "setup.sh: make"
make

if [ "${SETUP_NO_DEMO:-0}" = 1 ]; then
    echo "setup.sh: SETUP_NO_DEMO=1: not starting the demo"
else
    echo "setup.sh: starting the demo"
    examples/demo/demo.sh start
fi

echo "setup.sh: done"
