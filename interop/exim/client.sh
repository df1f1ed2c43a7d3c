#!/bin/sh
# curl as an SMTP client under test: STARTTLS required (--ssl-reqd), the server certificate
# verified against the CA and the run's CRLs and its name against the one it is given, then a
# message to postmaster.
# usage: client.sh <host> <port> <name> [--ssl]   (in {dir}; `--ssl`, STARTTLS tried and not required, is the self-test's mutant)
set -eu
host=$1 port=$2 name=$3 starttls=${4:---ssl-reqd}
# The URL names what curl verifies; --connect-to takes it to the harness whatever the name.
case $name in *:*) url="[$name]" ;; *) url=$name ;; esac
crl=; [ -f crl.pem ] && crl="--crlfile crl.pem"
printf 'Subject: mtls-conformance\r\n\r\nhello from curl\r\n' > message.txt
# shellcheck disable=SC2086 # crl is an option or nothing
exec curl -sS "$starttls" --connect-to "::$host:$port" $crl --cacert ca_cert.pem --cert client_cert.pem --key client_key.pem \
  --mail-from client@mtls-conformance.test --mail-rcpt postmaster --upload-file message.txt "smtp://$url:$port"
