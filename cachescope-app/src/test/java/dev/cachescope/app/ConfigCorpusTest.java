package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of a seeded corpus of bad configurations ({@link BadConfigs}: hand-written mistakes,
 * hostile inputs and 120 mutations of the shipped file) stops {@code cachescope demo --config} with
 * exit 2 and one line that names the file and says what to do, with no internal class name. The
 * reader itself is fuzzed, coverage-guided, by export's {@code ConfigFuzzTest}.
 */
class ConfigCorpusTest {
  static final long SEED = 20261206L;
  @TempDir static Path dir;

  /** How long each file took to be refused, reported (not asserted) once the corpus has run. */
  private static final Map<String, Long> MILLIS = new ConcurrentHashMap<>();

  @AfterAll
  static void reportTheSlowest() {
    MILLIS.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .ifPresent(
            slowest ->
                System.out.printf(
                    "config corpus: %d files refused; the slowest took %d ms (%s)%n",
                    MILLIS.size(), slowest.getValue(), slowest.getKey()));
  }

  @TestFactory
  List<DynamicTest> everyBadFileIsOneLineAndExit2() throws Exception {
    String shipped = Files.readString(Path.of("../config/monitoring.yaml"));
    Map<String, byte[]> corpus = BadConfigs.corpus(shipped, SEED, 120);
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(164);
    List<DynamicTest> tests = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, byte[]> bad : corpus.entrySet()) {
      Path file = dir.resolve(String.format("bad-%03d.yaml", n++));
      tests.add(
          DynamicTest.dynamicTest(
              bad.getKey(),
              () -> {
                Files.write(file, bad.getValue());
                long start = System.nanoTime();
                CliRun run = CliRun.shortDemo(file, dir.resolve("data"));
                MILLIS.put(bad.getKey(), (System.nanoTime() - start) / 1_000_000);
                if (System.getProperty("corpus.print") != null) {
                  System.out.println(bad.getKey() + " -> " + run.err().strip());
                }
                assertThat(run.exit()).as(run.err()).isEqualTo(2);
                assertThat(run.out()).isEmpty();
                assertThat(run.err().strip().lines()).hasSize(1);
                assertThat(run.err())
                    .startsWith("demo: " + file)
                    .contains("(fix the file, or leave out --config)")
                    .doesNotContain("java.", "com.fasterxml", "org.yaml", "Exception", "RawConfig");
              }));
    }
    return tests;
  }
}
