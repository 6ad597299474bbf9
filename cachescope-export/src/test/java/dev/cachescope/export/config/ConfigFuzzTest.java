package dev.cachescope.export.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the config reader (Jazzer): whatever bytes a {@code monitoring.yaml}
 * holds, {@link MonitoringConfig#load} returns a configuration or throws a {@link ConfigException}
 * whose message is one line naming the file, with no internal class name; nothing else escapes. A
 * message may quote the file's own keys and values, so a name the file itself wrote (a key {@code
 * org.yaml.Exception}, say, or the same in an escaped, quoted key) is not a leak.
 *
 * <p>A plain {@code mvn verify} replays the seeds under {@code
 * src/test/resources/dev/cachescope/export/config/ConfigFuzzTestInputs} and anything the fuzzer
 * found and saved there. {@code JAZZER_FUZZ=1 mvn -pl cachescope-export test -Dtest=ConfigFuzzTest}
 * fuzzes for {@code maxDuration} (CI does, once).
 */
class ConfigFuzzTest {
  private static final List<String> INTERNAL_NAMES =
      List.of("RawConfig", "java.", "com.fasterxml", "org.yaml", "Exception");
  private static final YAMLFactory YAML = new YAMLFactory();
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
      List<String> written = textsOf(contents);
      assertThat(INTERNAL_NAMES)
          .filteredOn(message::contains)
          .allSatisfy(
              name -> assertThat(written).anySatisfy(text -> assertThat(text).contains(name)));
    }
  }

  /**
   * The file as text, and every key and value a YAML parser reads from it (escapes decoded), and
   * every key's path as a message writes it ({@code caches.java.bogus}, {@code backends[0].type}),
   * as far as the file parses.
   */
  private static List<String> textsOf(byte[] contents) {
    List<String> texts = new ArrayList<>();
    texts.add(new String(contents, StandardCharsets.UTF_8));
    try (JsonParser parser = YAML.createParser(contents)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          texts.add(pathOf(parser.getParsingContext()));
        }
        if (token == JsonToken.FIELD_NAME || token.isScalarValue()) {
          texts.add(parser.getText());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the texts read so far are all the file gives
    }
    return texts;
  }

  /** Names joined by dots, indexes in brackets: how a message writes a key path. */
  private static String pathOf(JsonStreamContext context) {
    List<JsonStreamContext> fromRoot = new ArrayList<>();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      fromRoot.add(0, at);
    }
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext at : fromRoot) {
      if (at.inArray()) {
        path.append('[').append(at.getCurrentIndex()).append(']');
      } else {
        path.append(path.length() > 0 ? "." : "").append(at.getCurrentName());
      }
    }
    return path.toString();
  }
}
