# Sourced by run.sh and vhosts.sh: the part of nginx.conf every nginx target shares (foreground,
# one worker, state and temp files in the material folder <dir>, errors on stderr as evidence).
# Usage: nginx_prelude <dir>   (prints up to and including the opening of the http block)
nginx_prelude() {
  local dir=$1
  mkdir -p "$dir/tmp"
  cat <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log stderr info;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
CONF
}
