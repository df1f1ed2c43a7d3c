#!/bin/sh
# PostgreSQL 15 as a server under test, on the harness's material: TLS only (hostssl), `cert`
# authentication (any client certificate's CN mapped to the role postgres), the run's CRLs.
# usage: server.sh <port> [hba-method]   (in {dir}; hba-method `trust` is the self-test's mutant)
# PostgreSQL refuses to run as root: it runs as the Debian user postgres, in a data folder copied
# from a template made once per machine (initdb takes seconds; a copy a fraction of one).
set -eu
port=$1
method=${2:-cert map=anycn}
bin=/usr/lib/postgresql/15/bin
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

cache=${MTLS_CACHE:-/var/tmp/mtls-conformance}
# 1 MB WAL segments: the copy made per start is 24 MB smaller than with the default 16 MB.
template=$cache/pg15-template-wal1
if [ ! -f "$template/PG_VERSION" ]; then
  mkdir -p "$cache" && chmod 755 "$cache"
  (
    flock 9
    if [ ! -f "$template/PG_VERSION" ]; then
      rm -rf "$template.tmp" && mkdir "$template.tmp" && chown postgres: "$template.tmp"
      as_pg "$bin/initdb" -D "$template.tmp" -U postgres -A reject --no-sync --wal-segsize=1 >/dev/null
      mv "$template.tmp" "$template"
    fi
  ) 9>"$cache/pg15-wal1.lock"
fi

# The key folder stays 0600 inside; postgres only passes through it to its own data folder.
chmod 711 .
if ! setpriv --reuid=postgres --regid=postgres --init-groups test -x "$PWD"; then
  echo "postgres cannot reach $PWD: every folder above it must be traversable (o+x); TMPDIR=${TMPDIR:-/tmp}" >&2
  exit 2
fi
cp -a "$template" pgdata
cp ca_cert.pem server_cert.pem server_key.pem pgdata/
# The harness gives every role the run's CRLs; a folder from `npm run certs` has none.
crl=; if [ -f crl.pem ]; then cp crl.pem pgdata/ && crl='-c ssl_crl_file=crl.pem'; fi
chown postgres: pgdata/*.pem && chmod 600 pgdata/server_key.pem
printf 'hostssl all all 127.0.0.1/32 %s\nhostssl all all ::1/128 %s\n' "$method" "$method" > pgdata/pg_hba.conf
printf 'anycn /^(.*)$ postgres\n' > pgdata/pg_ident.conf
chown postgres: pgdata/pg_hba.conf pgdata/pg_ident.conf

# PostgreSQL 15 always makes a small System V segment (its interlock), which a postmaster killed
# with SIGKILL (as the harness ends programs, and every process of theirs with them) leaves behind.
# Marked for removal as soon as it exists, the kernel removes it once its last process detaches,
# however postgres ends (a start has its own data folder: no later postmaster looks for it). The
# script says it is ready (the target's readyWhen) only then, once postmaster.pid says so too: a
# harness that ends it at once leaves nothing either.
(
  pid=$$ pidfile=$PWD/pgdata/postmaster.pid marked=
  while kill -0 "$pid" 2>/dev/null; do
    if [ -f "$pidfile" ]; then
      shm=$(sed -n 7p "$pidfile" | awk '{print $2}')
      # Only the segment this postmaster made (its creator's pid), never another's of the same id.
      if [ -z "$marked" ] && [ -n "$shm" ] &&
        [ "$(ipcs -m -p | awk -v id="$shm" '$1 == id {print $3}')" = "$pid" ]; then
        ipcrm -m "$shm" && marked=1
      fi
      if [ -n "$marked" ] && sed -n 8p "$pidfile" | grep -q '^ready'; then
        echo "server.sh: postgres ready, its System V segment marked for removal" >&2
        exit
      fi
    fi
    sleep 0.05
  done
) </dev/null >/dev/null &
exec setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -D pgdata -p "$port" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off \
  -c dynamic_shared_memory_type=mmap -c log_connections=on \
  -c ssl=on -c ssl_cert_file=server_cert.pem -c ssl_key_file=server_key.pem \
  -c ssl_ca_file=ca_cert.pem $crl
