#!/usr/bin/env bash
# Install the system packages jianbao needs for PDFs and layout tests (Debian 12).
#
#   bash scripts/install-system-deps.sh
#
# Idempotent: it checks first and does nothing (in well under a second) when all is there.
# As root it installs what is missing with apt-get; as another user it prints the exact
# commands to run and exits 1. It never reports success while something is still missing.
#
# What it ensures:
#   soffice                      <- libreoffice-writer-nogui
#   python3 -c 'import uno'      <- python3-uno (the bridge of the resident LibreOffice that
#                                   --watch --pdf, preview --watch and batch --pdf keep running)
#   pdftotext, pdftocairo, pdftohtml, pdffonts <- poppler-utils
#   fc-list, fc-match, fc-cache  <- fontconfig
#   Noto Serif/Sans CJK SC       <- fonts-noto-cjk
#   AR PL UKai CN                <- fonts-arphic-ukai
#   Liberation Serif (= Times)   <- fonts-liberation2
#   FandolFang/Kai/Hei/Song      <- the .otf files from texlive-lang-chinese (downloaded, not
#                                   installed: that package would pull in all of texlive-base),
#                                   copied to /usr/local/share/fonts/fandol. Their Bold faces
#                                   declare weight 400 (OS/2 usWeightClass), so neither
#                                   fontconfig nor LibreOffice can tell them from the Regular
#                                   ones (黑体 came out bold, 方正小标宋 regular); we set it to 700.
#   python3 -m venv, make        <- python3-venv, make (only when missing)
#   node, npm                    <- nodejs, npm (only when missing): the tests run yaml-language-server,
#                                   installed by `npm ci` in tests/editor (make editor-deps)
set -euo pipefail

FANDOL_DIR=/usr/local/share/fonts/fandol
FANDOL_FILES=(FandolFang-Regular.otf FandolKai-Regular.otf FandolHei-Regular.otf
              FandolHei-Bold.otf FandolSong-Regular.otf FandolSong-Bold.otf)
# Path of the fonts inside texlive-lang-chinese (Debian 12).
FANDOL_IN_DEB=usr/share/texlive/texmf-dist/fonts/opentype/public/fandol

say() { printf 'install-system-deps: %s\n' "$*"; }

have_font() { # $1: fontconfig pattern; true when at least one installed face matches
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list "$1" family 2>/dev/null)" ]
}

fandol_present() {
    local f
    for f in "${FANDOL_FILES[@]}"; do
        [ -s "$FANDOL_DIR/$f" ] || return 1
    done
}

fandol_bold_fixed() { # fontconfig sees the Bold faces as bold (weight 200 = OS/2 700)
    have_font 'FandolSong:style=Bold:weight=200' && have_font 'FandolHei:style=Bold:weight=200'
}

# Set OS/2 usWeightClass to 700 in the given fonts (and fix the checksums). Stdlib only.
fix_bold_weight() {
    python3 - "$@" <<'PY'
import struct, sys

def checksum(b):
    b = bytes(b) + b"\0" * (-len(b) % 4)
    return sum(struct.unpack(">%dI" % (len(b) // 4), b)) & 0xFFFFFFFF

for path in sys.argv[1:]:
    data = bytearray(open(path, "rb").read())
    tables = {}
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        rec = 12 + 16 * i
        tag, _, off, length = struct.unpack_from(">4sIII", data, rec)
        tables[tag] = (rec, off, length)
    rec, off, length = tables[b"OS/2"]
    if struct.unpack_from(">H", data, off + 4)[0] == 700:
        continue
    struct.pack_into(">H", data, off + 4, 700)
    struct.pack_into(">I", data, rec + 4, checksum(data[off:off + length]))
    rec, off, length = tables[b"head"]
    struct.pack_into(">I", data, off + 8, 0)  # checkSumAdjustment
    struct.pack_into(">I", data, rec + 4, checksum(data[off:off + length]))
    struct.pack_into(">I", data, off + 8, (0xB1B0AFBA - checksum(data)) & 0xFFFFFFFF)
    open(path, "wb").write(data)
    print("install-system-deps: set weight 700 in", path)
PY
}

venv_works() {
    command -v python3 >/dev/null 2>&1 || return 1
    python3 -m venv --help >/dev/null 2>&1 || return 1
    # Debian's own python3 has the venv module without ensurepip's wheels; that package is
    # python3-venv. (A python3 from elsewhere, e.g. pyenv, brings its own.)
    if [ "$(readlink -f "$(command -v python3)")" = "$(readlink -f /usr/bin/python3)" ] &&
        command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q 'install ok installed' ||
            return 1
    fi
}

uno_works() { # the system Python can load LibreOffice's UNO bridge (jianbao's resident converter)
    local py=/usr/bin/python3
    [ -x "$py" ] || py="$(command -v python3 || true)"
    [ -n "$py" ] && "$py" -c 'import uno' >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------- check
missing_pkgs=()
need_pkg() { # $1 package; appended once
    local p
    for p in "${missing_pkgs[@]}"; do [ "$p" = "$1" ] && return 0; done
    missing_pkgs+=("$1")
}

check_all() {
    missing_pkgs=()
    need_fandol=0
    command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 ||
        need_pkg libreoffice-writer-nogui
    uno_works || need_pkg python3-uno
    for tool in pdftotext pdftocairo pdftohtml pdffonts; do
        command -v "$tool" >/dev/null 2>&1 || need_pkg poppler-utils
    done
    for tool in fc-list fc-match fc-cache; do
        command -v "$tool" >/dev/null 2>&1 || need_pkg fontconfig
    done
    have_font 'Noto Serif CJK SC:style=Regular' || need_pkg fonts-noto-cjk
    have_font 'Noto Serif CJK SC:style=Bold' || need_pkg fonts-noto-cjk
    have_font 'Noto Sans CJK SC' || need_pkg fonts-noto-cjk
    have_font 'AR PL UKai CN' || need_pkg fonts-arphic-ukai
    have_font 'Liberation Serif' || need_pkg fonts-liberation2
    command -v make >/dev/null 2>&1 || need_pkg make
    command -v node >/dev/null 2>&1 || need_pkg nodejs
    command -v npm >/dev/null 2>&1 || need_pkg npm
    venv_works || need_pkg python3-venv
    if ! fandol_present || ! have_font FandolFang || ! have_font FandolKai ||
        ! fandol_bold_fixed; then
        need_fandol=1
    fi
}

check_all
if [ "${#missing_pkgs[@]}" -eq 0 ] && [ "$need_fandol" -eq 0 ]; then
    say "all present (soffice, python3-uno, poppler-utils, fontconfig, Noto CJK, AR PL UKai, Liberation, Fandol, node, npm)"
    exit 0
fi

[ "${#missing_pkgs[@]}" -gt 0 ] && say "missing packages: ${missing_pkgs[*]}"
if [ "$need_fandol" -eq 1 ]; then
    if fandol_present; then
        say "Fandol fonts in $FANDOL_DIR: Bold faces not yet marked bold"
    else
        say "missing Fandol fonts in $FANDOL_DIR"
    fi
fi

# ------------------------------------------------------------------------ not root: explain
if [ "$(id -u)" -ne 0 ]; then
    {
        echo
        echo "jianbao needs system packages that are not installed. Run as root:"
        echo
        echo "    sudo bash scripts/install-system-deps.sh"
        echo
        echo "or by hand:"
        echo
        echo "    sudo apt-get update"
        if [ "${#missing_pkgs[@]}" -gt 0 ]; then
            echo "    sudo apt-get install -y --no-install-recommends ${missing_pkgs[*]}"
        fi
        if [ "$need_fandol" -eq 1 ]; then
            echo "    # Fandol fonts (the only free 仿宋/楷体), from texlive-lang-chinese:"
            echo "    cd \"\$(mktemp -d)\" && apt-get download texlive-lang-chinese &&"
            echo "      dpkg-deb -x texlive-lang-chinese_*.deb x &&"
            echo "      sudo mkdir -p $FANDOL_DIR &&"
            echo "      sudo cp x/$FANDOL_IN_DEB/*.otf $FANDOL_DIR/ &&"
            echo "      sudo fc-cache -f $FANDOL_DIR"
            echo "    # and mark FandolSong-Bold / FandolHei-Bold as weight 700: the script does it."
        fi
    } >&2
    exit 1
fi

# ----------------------------------------------------------------------------- root: install
export DEBIAN_FRONTEND=noninteractive
if [ "${#missing_pkgs[@]}" -gt 0 ] || ! fandol_present; then
    say "apt-get update"
    apt-get update -qq
fi

if [ "${#missing_pkgs[@]}" -gt 0 ]; then
    say "apt-get install ${missing_pkgs[*]}"
    apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}"
fi

if [ "$need_fandol" -eq 1 ]; then
    if ! fandol_present; then
        tmp="$(mktemp -d)"
        trap 'rm -rf "$tmp"' EXIT
        if [ -d "/$FANDOL_IN_DEB" ]; then
            src="/$FANDOL_IN_DEB"   # texlive-lang-chinese is installed: copy from it
        else
            say "apt-get download texlive-lang-chinese (about 50 MB; only its Fandol fonts are kept)"
            # apt drops privileges to _apt for downloads; let it write into the temp dir.
            if id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
            (cd "$tmp" && apt-get download -qq texlive-lang-chinese)
            dpkg-deb -x "$(ls "$tmp"/texlive-lang-chinese_*.deb)" "$tmp/x"
            src="$tmp/x/$FANDOL_IN_DEB"
        fi
        mkdir -p "$FANDOL_DIR"
        cp "$src"/*.otf "$FANDOL_DIR"/
        chmod 644 "$FANDOL_DIR"/*.otf
        say "installed $(ls "$FANDOL_DIR" | wc -l) Fandol fonts into $FANDOL_DIR"
    fi
    command -v python3 >/dev/null 2>&1 || { say "ERROR: python3 is needed to fix the Fandol Bold weights" >&2; exit 1; }
    fix_bold_weight "$FANDOL_DIR/FandolSong-Bold.otf" "$FANDOL_DIR/FandolHei-Bold.otf"
fi

if [ "$need_fandol" -eq 1 ]; then fc-cache -f "$FANDOL_DIR"; fi
fc-cache  # cheap when nothing changed; picks up anything apt installed

# ------------------------------------------------------------------------------- verify
check_all
if [ "${#missing_pkgs[@]}" -gt 0 ] || [ "$need_fandol" -eq 1 ]; then
    say "ERROR: still missing after installing: ${missing_pkgs[*]:-} $([ "$need_fandol" -eq 1 ] && echo Fandol)" >&2
    exit 1
fi
say "done: all system dependencies present"
