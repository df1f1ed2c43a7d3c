# Sourced by a launcher: `build_once <name> <source> <build command...>` builds <source> once per
# machine and content into $MTLS_CACHE (default /var/tmp/mtls-conformance), one builder at a time,
# and sets $built to the result's path. The command gets the target path as $out (it writes there
# and nowhere else; a failed build leaves nothing).
build_once() {
  name=$1 source=$2
  shift 2
  cache=${MTLS_CACHE:-/var/tmp/mtls-conformance}
  built=$cache/$name-$(sha256sum "$source" | cut -c1-16)
  [ -e "$built" ] && return 0
  mkdir -p "$cache" && chmod 755 "$cache"
  (
    flock 9
    if [ ! -e "$built" ]; then
      out=$built.tmp
      rm -rf "$out"
      export out
      "$@" && mv "$out" "$built"
    fi
  ) 9>"$cache/$name.lock"
}
