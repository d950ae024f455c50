#!/usr/bin/env bash
# Install pgvector (the PostgreSQL extension "vector") for the local PostgreSQL server, when it
# is missing. The study vectors need it on PostgreSQL (claims migration 0010); SQLite does not.
#
#   scripts/install_pgvector.sh [MAJOR]   (as root; MAJOR: the server's major version, by
#                                          default the newest cluster in /etc/postgresql)
#
# 1. Nothing to do when the server's extension directory has vector.control.
# 2. Debian's binary package postgresql-MAJOR-pgvector, where the distribution has one
#    (Debian 13 "trixie" and later).
# 3. Otherwise (Debian 12 "bookworm" has no pgvector package) Debian's own source package
#    `pgvector`, taken from trixie's deb-src with apt-get source, built against this server's
#    headers (postgresql-server-dev-MAJOR) with PGXS and installed. No restart is needed:
#    CREATE EXTENSION loads it.
set -euo pipefail

major=${1:-$(ls /etc/postgresql | sort -V | tail -1)}
pg_config=/usr/lib/postgresql/$major/bin/pg_config
if [ -f "$($pg_config --sharedir 2>/dev/null || echo /nonexistent)/extension/vector.control" ]; then
  echo "pgvector is installed for PostgreSQL $major"
  exit 0
fi

echo "Installing pgvector for PostgreSQL $major"
if apt-get install -y "postgresql-$major-pgvector" >/dev/null 2>&1 \
  || { apt-get update >/dev/null && apt-get install -y "postgresql-$major-pgvector" >/dev/null 2>&1; }; then
  echo "Installed Debian's postgresql-$major-pgvector"
  exit 0
fi

echo "No postgresql-$major-pgvector package here: building Debian's pgvector source package"
apt-get install -y --no-install-recommends "postgresql-server-dev-$major" dpkg-dev make gcc \
  >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt downloads as its own user, _apt
mkdir -p "$work/lists/partial"
# A source list of its own, so the machine's apt sources are left as they are.
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
  >"$work/sources.list"
apt_options=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists")
apt-get "${apt_options[@]}" update >/dev/null
(cd "$work" && apt-get "${apt_options[@]}" source --download-only pgvector >/dev/null 2>&1)
# apt checked the files against the archive's signed index; dpkg-source cannot check the
# uploader's own signature without the Debian keyring of developers, and says so: not an error.
dpkg-source -x "$work"/pgvector_*.dsc "$work/src" >/dev/null 2>&1
# OPTFLAGS="": no -march=native, so the library runs on any x86-64 (Debian builds it so too).
make -C "$work/src" PG_CONFIG="$pg_config" OPTFLAGS="" >/dev/null
make -C "$work/src" PG_CONFIG="$pg_config" OPTFLAGS="" install >/dev/null
echo "Built and installed pgvector $(sed -n 's/^default_version = .\(.*\).$/\1/p' "$work/src/vector.control") for PostgreSQL $major"
