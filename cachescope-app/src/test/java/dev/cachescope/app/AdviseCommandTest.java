package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tukaani.xz.XZInputStream;

/**
 * {@code advise} against an exact LRU simulation of the public traces in {@code shared/traces},
 * computed here from the same files.
 */
class AdviseCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} at sample rate 1/{3}")
  @CsvSource({
    "lirs-multi1.trace.gz, lirs, '100,250,500,1000,2000', 1, 0.01",
    "lirs-sprite.trace.gz, lirs, '100,250,500,1000,2000', 1, 0.01",
    "cache2k-web07.trace.xz, cache2k, '100,1000,2500,5000,10000', 1, 0.01",
    "cache2k-web07.trace.xz, cache2k, '100,1000,2500,5000,10000', 4, 0.02",
  })
  void estimatesMatchAnExactLruSimulation(
      String file, String format, String sizes, int sampleRate, double maxError)
      throws IOException {
    Path trace = traces().resolve(file);
    CliRun run =
        CliRun.of(
            "advise",
            "--trace",
            trace.toString(),
            "--format",
            format,
            "--sizes",
            sizes,
            "--sample-rate",
            String.valueOf(sampleRate));
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode estimated = JSON.readTree(run.out());
    int[] keys = format.equals("lirs") ? lirsKeys(trace) : cache2kKeys(trace);
    double error = 0;
    String[] asked = sizes.split(",");
    assertThat(estimated.size()).isEqualTo(asked.length);
    for (String size : asked) {
      double exact = exactLru(keys, Integer.parseInt(size));
      double estimate = estimated.get(size).asDouble();
      System.out.printf(
          "%s 1/%d size %s: exact %.4f estimated %.4f%n", file, sampleRate, size, exact, estimate);
      error += Math.abs(estimate - exact);
    }
    assertThat(error / asked.length).as("mean absolute error").isLessThanOrEqualTo(maxError);
  }

  @ParameterizedTest(name = "{0} under Caffeine's policy")
  @CsvSource({
    "lirs-multi1.trace.gz, lirs, '125,250,500,1000,2000'",
    "cache2k-web07.trace.xz, cache2k, '500,1000,2000,4000,8000'",
  })
  void caffeinePolicyMatchesRealCaffeineCaches(String file, String format, String sizes)
      throws IOException {
    Path trace = traces().resolve(file);
    CliRun run =
        CliRun.of(
            "advise",
            "--trace",
            trace.toString(),
            "--format",
            format,
            "--sizes",
            sizes,
            "--policy",
            "caffeine");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode estimated = JSON.readTree(run.out());
    int[] keys = format.equals("lirs") ? lirsKeys(trace) : cache2kKeys(trace);
    for (String size : sizes.split(",")) {
      // Ground truth: a Caffeine cache the test builds itself, evicting on the calling thread.
      Cache<Integer, Boolean> cache =
          Caffeine.newBuilder().maximumSize(Long.parseLong(size)).executor(Runnable::run).build();
      long hits = 0;
      for (int key : keys) {
        if (cache.getIfPresent(key) != null) {
          hits++;
        } else {
          cache.put(key, Boolean.TRUE);
        }
      }
      double truth = (double) hits / keys.length;
      // Within 0.003: Caffeine admits a candidate at random now and then (its defence against hash
      // flooding), so two replays of one trace differ slightly.
      assertThat(estimated.get(size).asDouble()).as(size).isCloseTo(truth, within(0.003));
      // The policy differs from LRU, which is why it has its own answer.
      assertThat(Math.abs(truth - exactLru(keys, Integer.parseInt(size)))).isPositive();
    }
  }

  @Test
  void plainKeyFilesAndTheirMistakes() throws IOException {
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "a\nb\na\nc\na\nb\n");
    CliRun run =
        CliRun.of("advise", "--trace", keys.toString(), "--format", "keys", "--sizes", "1,2,3");
    assertThat(run.exit()).isZero();
    Map<String, Double> expected = new LinkedHashMap<>();
    // a b a c a b: LRU(1) never hits; LRU(2) hits the 2nd a and... computed by the simulation.
    String[] stream = {"a", "b", "a", "c", "a", "b"};
    int[] hashed = new int[stream.length];
    for (int i = 0; i < stream.length; i++) {
      hashed[i] = stream[i].hashCode();
    }
    for (int size = 1; size <= 3; size++) {
      expected.put(String.valueOf(size), exactLru(hashed, size));
    }
    assertThat(JSON.readValue(run.out(), Map.class)).isEqualTo(expected);

    CliRun missing =
        CliRun.of("advise", "--trace", "nope.trace", "--format", "keys", "--sizes", "10");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no trace file at nope.trace");

    Path text = dir.resolve("words.trace");
    Files.writeString(text, "1\n2\nthree\n");
    CliRun wrong =
        CliRun.of("advise", "--trace", text.toString(), "--format", "lirs", "--sizes", "10");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("line 3", "not an integer key: 'three'", "--format keys");

    CliRun badSize =
        CliRun.of("advise", "--trace", text.toString(), "--format", "keys", "--sizes", "0");
    assertThat(badSize.exit()).isEqualTo(2);
    assertThat(badSize.err()).contains("--sizes takes positive sizes");
  }

  /** {@code shared/traces}, found above the working directory. */
  private static Path traces() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/traces");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    if (System.getenv("CI") != null) {
      throw new AssertionError("CI must have shared/traces beside the clone, above " + here);
    }
    Assumptions.abort("shared/traces not found above " + here);
    throw new AssertionError("unreachable");
  }

  private static int[] lirsKeys(Path trace) throws IOException {
    List<String> lines;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(trace))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    return lines.stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.equals("*"))
        .mapToInt(l -> Long.hashCode(Long.parseLong(l)))
        .toArray();
  }

  private static int[] cache2kKeys(Path trace) throws IOException {
    List<Integer> keys = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new XZInputStream(Files.newInputStream(trace)))) {
      while (true) {
        keys.add(in.readInt());
      }
    } catch (EOFException end) {
      return keys.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** Hits / references of an LRU cache of {@code size} entries over {@code keys}. */
  private static double exactLru(int[] keys, int size) {
    Map<Integer, Boolean> lru =
        new LinkedHashMap<>(size * 2, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > size;
          }
        };
    long hits = 0;
    for (int key : keys) {
      if (lru.get(key) != null) {
        hits++;
      } else {
        lru.put(key, Boolean.TRUE);
      }
    }
    return Math.round((double) hits / keys.length * 1e4) / 1e4;
  }
}
