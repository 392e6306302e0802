# Sourced by the scripts in bin/: exports JAVA_HOME for a JDK whose version is 21 or newer, or exits.
rampart_java_major() { # prints the feature version of the java binary given, e.g. 21
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

rampart_find_jdk() {
  local candidates=() dir major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v javac >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(rampart_java_major "$dir/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! RAMPART_JDK=$(rampart_find_jdk); then
  echo "rampart: no JDK 21 or newer found (looked at \$JAVA_HOME, javac on PATH and /usr/lib/jvm)." >&2
  echo "rampart: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$RAMPART_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries touch sun.misc.Unsafe; newer JDKs warn about it on every run.
if [ "$(rampart_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi

# The node's JVM memory settings, used by bin/rampart and by the gateway JVM that `bin/mqtt-bench --rampart-process`
# forks (so the benchmark measures the gateway as a node runs it); RAMPART_NODE_JVM_OPTS replaces them (raise -Xmx
# for a node holding many queued messages). Serial GC with a bounded heap: the gateway's live data is mostly
# long-lived connection state, and G1's extra native structures (remembered sets) and its eden growing into
# untouched memory cost an idle TLS connection about twice the resident memory (bin/mqtt-bench --rampart-process
# --workload idle; see README, Benchmarks). On 2 cores G1's concurrent threads buy little; its shorter pauses matter
# for heaps far larger than the gateway's.
rampart_node_jvm_opts="${RAMPART_NODE_JVM_OPTS:--XX:+UseSerialGC -Xmx1g}"
