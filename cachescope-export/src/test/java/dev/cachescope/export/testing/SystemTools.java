package dev.cachescope.export.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a program from a Debian package (prometheus, promtool, redis-server): skipped
 * where it is missing, failed under CI (which installs it in {@code .ci/run}).
 */
public final class SystemTools {
  private SystemTools() {}

  /** The tool's path; skips the test (or fails it under CI) when it is not installed. */
  public static Path require(String tool, String debianPackage) {
    Path found =
        List.of("/usr/bin/", "/usr/local/bin/").stream()
            .map(dir -> Path.of(dir + tool))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    if (System.getenv("CI") != null) {
      assertThat(found)
          .as(tool + " must be installed in CI (.ci/run installs " + debianPackage + ")")
          .isNotNull();
    }
    Assumptions.assumeTrue(
        found != null, tool + " is not installed; apt-get install " + debianPackage);
    return java.util.Objects.requireNonNull(found);
  }

  /** A loopback port free now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
