#!/usr/bin/env bash
# Makes the Debian base images that deploy/aws/images/*.Dockerfile start FROM, for the image tests:
# Docker Hub cannot be reached from here, Debian's mirror can. debootstrap's minbase variant of
# bookworm (essential and required packages plus apt, as Docker's official image has) becomes
# docker.io/library/debian:bookworm, and a copy without documentation, manual pages and locales
# (and told by dpkg to install none) becomes docker.io/library/debian:bookworm-slim, under the very
# names the Dockerfiles use. Both are kept under the build tree, and made again after a week, so
# that the packages they hold do not drift far from the mirror's.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=buildah_env.sh
source "$(dirname "$0")/buildah_env.sh"

mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
max_age_days=7

# The apt sources and settings of Docker's official Debian images: the release, its updates and
# its security archive; downloaded packages and apt's binary caches are not kept in a layer.
configure_apt() {
  local root=$1
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror}-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
// An image layer should not carry the .deb files it was installed from, nor apt's caches.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
}

# What "slim" leaves out, now and in every package installed later.
slim_down() {
  local root=$1
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
  cat >"$root/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
# Documentation, manual pages and translations are not installed; licences are.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
}

full_tar="$cache_dir/debian-bookworm.tar"
slim_tar="$cache_dir/debian-bookworm-slim.tar"
if [[ ! -s "$slim_tar" || -n "$(find "$full_tar" -mtime +"$max_age_days" 2>/dev/null)" ]]; then
  rootfs="$cache_dir/rootfs"
  rm -rf "$rootfs"
  echo "base_images: debootstrap --variant=minbase bookworm from $mirror"
  started=$SECONDS
  if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$cache_dir/debootstrap.log" 2>&1; then
    tail -20 "$cache_dir/debootstrap.log" >&2
    echo "base_images: debootstrap failed (is $mirror reachable?)" >&2
    exit 1
  fi
  configure_apt "$rootfs"
  tar --numeric-owner --xattrs -C "$rootfs" -cf "$full_tar.new" .
  slim_down "$rootfs"
  tar --numeric-owner --xattrs -C "$rootfs" -cf "$slim_tar.new" .
  mv "$full_tar.new" "$full_tar"
  mv "$slim_tar.new" "$slim_tar"
  rm -rf "$rootfs"
  echo "base_images: made in $((SECONDS - started)) s"
fi

# A run that was killed may have left working containers (and their mounts); a storage that grew
# past its bound with the layers of many builds starts again from the bases.
"${buildah[@]}" rm --all >/dev/null 2>&1 || true
if [[ -d "$cache_dir/storage" ]] && (($(du -s --block-size=1G "$cache_dir/storage" | cut -f1) > 10)); then
  echo "base_images: the image storage is over 10 GB: emptied"
  "${buildah[@]}" rmi --all --force >/dev/null 2>&1 || true
  rm -rf "$cache_dir/storage" "$cache_dir/run"
fi

# Import each tarball unless the image in storage already came from it: a new import is a new image
# id, which would void buildah's layer cache of everything built on it.
import() {
  local tarball=$1 name=$2 stamp="$cache_dir/storage/.imported-${2##*:}"
  if [[ -n "$("${buildah[@]}" images --quiet "$name" 2>/dev/null)" && "$stamp" -nt "$tarball" ]]; then
    return
  fi
  local ctr
  ctr=$("${buildah[@]}" from --quiet scratch)
  "${buildah[@]}" add --quiet "$ctr" "$tarball" / >/dev/null
  "${buildah[@]}" config --cmd '["bash"]' --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  "${buildah[@]}" commit --quiet --rm "$ctr" "$name" >/dev/null
  touch "$stamp"
  echo "base_images: $name imported"
}
import "$full_tar" docker.io/library/debian:bookworm
import "$slim_tar" docker.io/library/debian:bookworm-slim
"${buildah[@]}" images
