#!/bin/sh
# OpenLDAP's slapd as a server under test, on the harness's material: StartTLS, a client
# certificate demanded and verified against the CA and the run's CRLs, and no operation in clear
# (`security tls=1`), TLS 1.2 at least (Debian builds it on GnuTLS, whose NORMAL priority still
# allows TLS 1.0 and 1.1; the GnuTLS build reads the priority string, not TLSProtocolMin alone). No database: the anonymous bind and the root DSE need none.
# usage: server.sh <port> [verify]   (in {dir}; verify `allow` is the self-test's mutant)
set -eu
port=$1 verify=${2:-demand}
crl=; [ -f crl.pem ] && crl="TLSCRLFile $PWD/crl.pem"
cat > slapd.conf <<CONF
include /etc/ldap/schema/core.schema
pidfile $PWD/slapd.pid
argsfile $PWD/slapd.args
TLSCACertificateFile $PWD/ca_cert.pem
TLSCertificateFile $PWD/server_cert.pem
TLSCertificateKeyFile $PWD/server_key.pem
TLSVerifyClient $verify
TLSProtocolMin 3.3
TLSCipherSuite NORMAL:-VERS-TLS1.0:-VERS-TLS1.1
$crl
security tls=1
CONF
# -d: in the foreground, its log on stderr (256: connections and operations, with their results).
exec slapd -d 256 -h "ldap://127.0.0.1:$port/" -f slapd.conf
