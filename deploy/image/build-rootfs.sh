#!/usr/bin/env bash
# build-rootfs.sh — the base of the KaflowSQL container image, made without a Docker daemon or a base image.
#
#   build-rootfs.sh JAVA_HOME ROCKSDB_JAR OUTPUT_DIR
#
# Writes OUTPUT_DIR/rootfs with
#   /opt/java                     a Java runtime linked by the build's own JDK (jlink, modules in deploy/image/jre-modules)
#   /lib..., /lib64/ld-linux-*    the shared libraries that runtime and RocksDB's JNI library link against,
#                                 copied from the build machine (found with ldd), nothing else: no shell, no package manager
#   /usr/lib/locale/C.utf8        the C.UTF-8 locale, so file names and the console are UTF-8
#   /tmp, /var/lib/kaflowsql      writable directories (RocksDB's JNI library is extracted to /tmp; state lives in the other)
#   /app/pipelines                where the pipelines are mounted
# Jib (deploy/pom.xml) puts the application layers and deploy/src/main/jib (passwd, config) on top.
#
# The runtime comes from the JDK that runs the build and the libraries from the machine that runs it, so the image is for
# that machine's architecture (x86_64 in CI) and its glibc. AWT, font and sound native libraries are left out: the image
# is headless. Every ELF file in the rootfs resolves its libraries inside the rootfs, or the script fails.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 JAVA_HOME ROCKSDB_JAR OUTPUT_DIR" >&2; exit 2; }
java_home="$1"
rocksdb_jar="$2"
out="$(mkdir -p "$3" && cd "$3" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"

die() { echo "build-rootfs: $*" >&2; exit 1; }

[ -x "$java_home/bin/jlink" ] || die "no jlink in $java_home/bin: the image needs a full JDK 17 (with jmods) to build its runtime"
[ -d "$java_home/jmods" ] || die "no $java_home/jmods: install the JDK's jmods (Debian: openjdk-17-jdk-headless) or point JAVA_HOME at a JDK that has them"
[ -f "$rocksdb_jar" ] || die "no RocksDB jar at $rocksdb_jar"
command -v ldd >/dev/null || die "ldd not found (Debian package libc-bin)"
command -v unzip >/dev/null || die "unzip not found (Debian package unzip)"

rootfs="$out/rootfs"
work="$out/work"
rm -rf "$rootfs" "$work"
mkdir -p "$rootfs/opt" "$work"

modules="$(grep -v '^#' "$here/jre-modules" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')"
# No --strip-debug or --compress: together they double jlink's time (CI budget), and Jib gzips the layer anyway.
"$java_home/bin/jlink" --add-modules "$modules" --no-man-pages --no-header-files \
    --output "$rootfs/opt/java"

# Headless, no smart cards: these link against X11, freetype, ALSA, pcsclite, which the image does not carry.
for lib in libawt_xawt libawt_headless libawt libjawt libsplashscreen libjsound libfontmanager liblcms libjavajpeg libmlib_image libj2pcsc; do
  rm -f "$rootfs/opt/java/lib/$lib.so"
done

# The library RocksDB loads on glibc x86_64 (its loader picks librocksdbjni-linux64.so there).
unzip -q -o "$rocksdb_jar" librocksdbjni-linux64.so -d "$work"

is_elf() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = "7f454c46" ]; }

copy_into_rootfs() {
  local path="$1"
  [ -e "$rootfs$path" ] && return 0
  mkdir -p "$rootfs$(dirname "$path")"
  cp -L "$path" "$rootfs$path"
}

elves=("$work/librocksdbjni-linux64.so")
while IFS= read -r -d '' file; do
  if is_elf "$file"; then elves+=("$file"); fi
done < <(find "$rootfs/opt/java" -type f -print0)

for elf in "${elves[@]}"; do
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"
    case "$line" in
      *"=> not found"*)
        name="${line%% =>*}"; name="${name//[[:space:]]/}"
        # libjvm.so is found at run time through the launcher (it is loaded before the libraries that name it).
        [ "$name" = "libjvm.so" ] || die "$elf needs $name, which the build machine does not have"
        ;;
      *"=> /"*)
        path="${line#*=> }"; path="${path%% (*}"
        case "$path" in "$rootfs"/*) ;; *) copy_into_rootfs "$path" ;; esac
        ;;
      /*)
        path="${line%% (*}"; path="${path//[[:space:]]/}"
        copy_into_rootfs "$path"
        ;;
    esac
  done < <(ldd "$elf" 2>/dev/null || true)
done
[ -e "$rootfs/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not found by ldd; is this an x86_64 glibc machine?"

if [ -d /usr/lib/locale/C.utf8 ]; then
  mkdir -p "$rootfs/usr/lib/locale"
  cp -R -L /usr/lib/locale/C.utf8 "$rootfs/usr/lib/locale/"
fi

mkdir -p "$rootfs/tmp" "$rootfs/var/lib/kaflowsql" "$rootfs/app/pipelines"
rm -rf "$work"
echo "build-rootfs: $(du -sh "$rootfs" | cut -f1) in $rootfs ($(find "$rootfs" -type f | wc -l) files)"
