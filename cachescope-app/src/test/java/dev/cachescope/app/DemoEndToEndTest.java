package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.export.testing.SmallDisk;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job, as a user runs it: demo, then health and export against what it produced. */
class DemoEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CACHES =
      List.of("CacheManager", "FileCache", "RuleCache", "ServiceContainer", "generateDefinition");
  @TempDir Path dir;

  @Test
  void theDemoRunsMonitoredEndToEndAndTheScriptsReadWhatItProduced() throws Exception {
    try (RunningDemo demo = RunningDemo.start(dir, Duration.ofSeconds(10), 300)) {
      String base = demo.url();
      checkTheRunningDemo(base);
      assertThat(demo.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(demo.output())
          .contains("dashboard: " + base + "/")
          .contains("lookups, hit rate")
          .contains("Stopped after");
    }
    checkWhatTheDemoLeft();
  }

  private void checkTheRunningDemo(String base) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode summary =
                  JSON.readTree(
                      client
                          .send(
                              HttpRequest.newBuilder(
                                      URI.create(base + "/api/metrics/cache/summary"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body());
              for (String cache : CACHES) {
                assertThat(summary.get("caches").get(cache).get("gets").asLong())
                    .as(cache + " has traffic")
                    .isPositive();
              }
              assertThat(summary.get("caches").get("FileCache").get("sources").get("disk").asLong())
                  .as("FileCache hits from its disk tier")
                  .isPositive();
              assertThat(
                      summary
                          .get("caches")
                          .get("RuleCache")
                          .get("custom_metrics")
                          .get("get_single_calls")
                          .asLong())
                  .isPositive();
              // The Caffeine-backed caches have their memory measured; generateDefinition
              // reports the tokens its hits saved.
              for (String cache : List.of("RuleCache", "generateDefinition")) {
                JsonNode snapshot = summary.get("caches").get(cache);
                assertThat(snapshot.get("memory_method").asText())
                    .as(cache + " memory")
                    .isIn("sampled", "measured");
                assertThat(snapshot.get("memory_usage_bytes").asLong()).isPositive();
              }
              assertThat(summary.get("total_tokens_saved").asLong()).isPositive();
            });

    assertThat(CliRun.of("health", "--url", base, "--min-hit-rate", "0").exit()).isZero();
    CliRun unhealthy =
        CliRun.of("health", "--url", base, "--min-hit-rate", "0.999", "--min-requests", "1");
    assertThat(unhealthy.exit()).isEqualTo(1);
    assertThat(unhealthy.out()).contains("UNHEALTHY: hit rate below").contains("FileCache");
  }

  private void checkWhatTheDemoLeft() throws Exception {
    Path log = dir.resolve("logs/cache_metrics.log");
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).isNotEmpty();
    assertThat(lines.get(0))
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d - \\{\"cache_name\":.*");
    assertThat(lines).anyMatch(l -> l.contains("\"total_entries\""));
    assertThat(String.join("\n", lines)).doesNotContain("\"key\":\"term-");

    Path metrics = dir.resolve("metrics");
    try (Stream<Path> files = Files.list(metrics)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("cache_snapshot_RuleCache_"))
          .anyMatch(n -> n.startsWith("cache_snapshot_FileCache_"));
    }
    assertThat(CliRun.of("health", "--dir", metrics.toString(), "--min-hit-rate", "0").exit())
        .isZero();

    Path json = dir.resolve("export.json");
    CliRun export =
        CliRun.of(
            "export",
            "--since",
            "2020-01-01",
            "--dir",
            metrics.toString(),
            "--output",
            json.toString());
    assertThat(export.exit()).as(export.err()).isZero();
    JsonNode exported = JSON.readTree(json.toFile());
    assertThat(exported.isArray()).isTrue();
    assertThat(exported.size()).isGreaterThanOrEqualTo(CACHES.size());
    assertThat(exported.get(0).has("hit_rate")).isTrue();
    Path csv = dir.resolve("export.csv");
    assertThat(
            CliRun.of(
                    "export",
                    "--since",
                    "2020-01-01T00:00:00Z",
                    "--dir",
                    metrics.toString(),
                    "--output",
                    csv.toString(),
                    "--format",
                    "csv")
                .exit())
        .isZero();
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows.get(0)).startsWith("cache_name,timestamp,total_entries");
    assertThat(rows).hasSize(exported.size() + 1);
  }

  @Test
  void theScriptsSayWhatToDoAndExit2OnBadInput() throws Exception {
    CliRun unreachable;
    try (ServerSocket closed = new ServerSocket(0)) {
      int port = closed.getLocalPort();
      closed.close();
      unreachable = CliRun.of("health", "--url", "http://127.0.0.1:" + port);
    }
    assertThat(unreachable.exit()).isEqualTo(2);
    assertThat(unreachable.err()).contains("cannot reach").contains("./cachescope demo");
    assertThat(CliRun.of("health", "--dir", dir.resolve("nope").toString()).exit()).isEqualTo(2);
    assertThat(CliRun.of("health").err()).contains("give one of --url");

    CliRun badDate =
        CliRun.of(
            "export", "--since", "last tuesday", "--output", dir.resolve("x.json").toString());
    assertThat(badDate.exit()).isEqualTo(2);
    assertThat(badDate.err()).contains("is not a date (2025-10-01)");
    Files.createDirectories(dir.resolve("metrics"));
    CliRun unwritable =
        CliRun.of(
            "export",
            "--since",
            "2020-01-01",
            "--dir",
            dir.resolve("metrics").toString(),
            "--output",
            dir.resolve("no/such/dir/x.json").toString());
    assertThat(unwritable.exit()).isEqualTo(2);
    assertThat(unwritable.err()).contains("choose another --output");
    assertThat(
            CliRun.of("export", "--since", "2020-01-01", "--output", "x", "--format", "xml").err())
        .contains("--format must be json or csv");

    CliRun badRate = CliRun.of("demo", "--duration", "soon");
    assertThat(badRate.exit()).isEqualTo(2);
    assertThat(badRate.err()).contains("'soon' is not a duration");
    CliRun missingConfig = CliRun.of("demo", "--config", dir.resolve("absent.yaml").toString());
    assertThat(missingConfig.exit()).isEqualTo(2);
    assertThat(missingConfig.err()).contains("cannot read config file");
  }

  @Test
  void aBadDataDirOrConfigIsOneLineAndExit2() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    CliRun onAFile = CliRun.of("demo", "--duration", "1s", "--data-dir", file.toString());
    assertThat(onAFile.exit()).isEqualTo(2);
    assertThat(onAFile.err().strip().lines()).hasSize(1);
    assertThat(onAFile.err()).contains("is a file, not a directory");

    Path empty = Files.writeString(dir.resolve("empty-section.yaml"), "cache_monitoring:\n");
    CliRun emptySection = CliRun.shortDemo(empty, dir.resolve("data"));
    assertThat(emptySection.exit()).isEqualTo(2);
    assertThat(emptySection.err().strip().lines()).hasSize(1);
    assertThat(emptySection.err()).contains("cache_monitoring: has no value");
  }

  /**
   * A log file that cannot be written is one line naming it and the key, exit 2, before Logback
   * prints its status.
   */
  @Test
  void anUnwritableLogFileIsOneLineAndExit2() throws Exception {
    Path blocked = Files.writeString(dir.resolve("logs-is-a-file"), "not a directory");
    Path config =
        Files.writeString(
            dir.resolve("unwritable-log.yaml"),
            "cache_monitoring:\n  backends:\n    - type: logger\n      log_file: "
                + blocked.resolve("cache_metrics.log")
                + "\n");
    CliRun run = CliRun.shortDemo(config, dir.resolve("data"));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err())
        .contains("log_file " + blocked.resolve("cache_metrics.log"))
        .contains(blocked + " is a file, not a directory");
    assertThat(run.out()).doesNotContain("logback");
  }

  /** The data directory on a full disk: a 256 KiB tmpfs, which needs root (skipped without). */
  @Test
  void aDataDirOnAFullDiskIsOneLineAndExit2() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), 256)) {
      disk.fill();
      CliRun run =
          CliRun.of(
              "demo", "--duration", "1s", "--port", "0", "--data-dir", disk.path().toString());
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err().strip().lines()).hasSize(1);
      assertThat(run.err()).contains(disk.path().toString(), "free some space");
    }
  }

  @Test
  void aPortInUseIsOneLineSayingWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun run =
          CliRun.of(
              "demo",
              "--duration",
              "2s",
              "--config",
              RunningDemo.config(dir, taken.getLocalPort()).toString(),
              "--data-dir",
              dir.resolve("data").toString());
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err().strip().lines()).hasSize(1);
      assertThat(run.err()).contains("--port 0 for any free port");
    }
  }
}
