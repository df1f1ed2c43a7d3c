#!/bin/sh
# Exim 4 as an SMTP server under test, on the harness's material: STARTTLS offered, a client
# certificate asked for and verified against the CA and the run's CRLs, and mail refused at
# MAIL FROM unless TLS is up with a verified certificate ("550 5.7.1 A verified client
# certificate is required"): the way an MTA refuses it, in SMTP, after a completed STARTTLS.
# Accepted mail is thrown away (a :blackhole: router). Runs in the foreground (-bdf).
# usage: server.sh <port> [verify]   (in {dir}; verify `none`, no certificate check in the ACL, is the self-test's mutant)
set -eu
port=$1 verify=${2:-certificate}
# Exim reads its TLS files after giving up root, as Debian-exim: a folder of its own (0700).
chmod 711 .
mkdir -p spool log tls && cp ca_cert.pem server_cert.pem server_key.pem tls/
crl=; if [ -f crl.pem ]; then cp crl.pem tls/ && crl="tls_crl = $PWD/tls/crl.pem"; fi
chown -R Debian-exim: spool log tls && chmod 700 tls spool && chmod 600 tls/server_key.pem
check='deny    !verify = certificate
          message = 5.7.1 A verified client certificate is required'
[ "$verify" = none ] && check=
cat > exim.conf <<CONF
primary_hostname = mtls-conformance.test
spool_directory = $PWD/spool
log_file_path = $PWD/log/%slog
keep_environment =
log_selector = +tls_certificate_verified +tls_peerdn
exim_user = Debian-exim
exim_group = Debian-exim
never_users =
local_interfaces = 127.0.0.1
# A connection per probe, hundreds a minute: at its defaults (20 of each) Exim refused some ("too
# many connections": it counts a child until it has reaped it) and let others wait in a full
# listen queue past the probe's deadline.
smtp_accept_max = 0
smtp_connect_backlog = 128
tls_advertise_hosts = *
tls_certificate = $PWD/tls/server_cert.pem
tls_privatekey = $PWD/tls/server_key.pem
tls_verify_certificates = $PWD/tls/ca_cert.pem
$crl
tls_try_verify_hosts = *
tls_require_ciphers = NORMAL:-VERS-TLS1.0:-VERS-TLS1.1
acl_smtp_mail = acl_mail
acl_smtp_rcpt = acl_rcpt

begin acl
acl_mail:
  deny    !encrypted = *
          message = 5.7.0 Must issue a STARTTLS command first
  $check
  accept
acl_rcpt:
  accept

begin routers
discard:
  driver = redirect
  data = :blackhole:
CONF
exec exim4 -C "$PWD/exim.conf" -bdf -oX "$port" -oP "$PWD/exim.pid"
