# Shared by scripts/demo and scripts/test: install what is missing.
# Works as root or as a user with sudo on Debian 12.

sqlalc_sudo() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# sqlalc_install PKG... : apt-get install the packages not yet installed.
sqlalc_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== installing: ${missing[*]}"
    sqlalc_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sqlalc_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

sqlalc_jobs() { nproc 2>/dev/null || echo 2; }
