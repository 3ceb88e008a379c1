# Locates a JDK 25 for Basalt's scripts; sets JAVA_HOME or fails with a clear message.
basalt_find_jdk25() {
  local candidate
  for candidate in "${BASALT_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
                   /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | head -1 | grep -qE '"25(\.|")'; then
      JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "basalt: no JDK 25 found (looked at \$BASALT_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*25*); install Temurin 25 or set BASALT_JAVA_HOME" >&2
  return 1
}
