package dev.cachescope.export.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the config reader (Jazzer): whatever bytes a {@code monitoring.yaml}
 * holds, {@link MonitoringConfig#load} returns a configuration or throws a {@link ConfigException}
 * whose message is one line naming the file, with no internal class name; nothing else escapes.
 *
 * <p>A plain {@code mvn verify} replays the seeds under {@code
 * src/test/resources/dev/cachescope/export/config/ConfigFuzzTestInputs} and anything the fuzzer
 * found and saved there. {@code JAZZER_FUZZ=1 mvn -pl cachescope-export test -Dtest=ConfigFuzzTest}
 * fuzzes for {@code maxDuration} (CI does, once).
 */
class ConfigFuzzTest {
  private static Path dir;
  private static Path file;

  @BeforeAll
  static void createFile() throws IOException {
    dir = Files.createTempDirectory("config-fuzz");
    file = dir.resolve("monitoring.yaml");
  }

  @AfterAll
  static void deleteFile() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "60s")
  void anyFileIsAConfigurationOrOneLineNamingIt(byte[] contents) {
    try {
      Files.write(file, contents);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      assertThat(MonitoringConfig.load(file, Map.of())).isNotNull();
    } catch (ConfigException e) {
      String message = String.valueOf(e.getMessage());
      assertThat(message).startsWith(file.toString()).doesNotContain("\n", "\r");
      assertThat(message)
          .doesNotContain("RawConfig", "java.", "com.fasterxml", "org.yaml", "Exception");
    }
  }
}
