#!/bin/sh
# Mosquitto 2 as a broker under test, on the harness's material: TLS only, a client certificate
# required (its CN is the user name), the run's CRLs.
# usage: server.sh <port> [require_certificate]   (`false` is the self-test's mutant)
# Mosquitto drops root for its Debian user before it reads the key (0600, root's, in the harness's
# folder): `user root` keeps it, as a broker started by root in a container would. It logs to stdout.
set -eu
port=$1 require=${2:-true}
cat > mosquitto.conf <<CONF
per_listener_settings true
user root
listener $port 127.0.0.1
cafile ca_cert.pem
certfile server_cert.pem
keyfile server_key.pem
crlfile crl.pem
require_certificate $require
use_identity_as_username $require
allow_anonymous $([ "$require" = true ] && echo false || echo true)
log_dest stdout
log_type error
log_type warning
log_type notice
log_type information
persistence false
CONF
exec mosquitto -c mosquitto.conf
