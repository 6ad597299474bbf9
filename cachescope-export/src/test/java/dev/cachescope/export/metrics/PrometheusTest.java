package dev.cachescope.export.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cachescope.CacheMonitor;
import dev.cachescope.LatencySummary;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.http.MetricsHttpServer;
import dev.cachescope.export.testing.RealPrometheus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} checked by Prometheus itself: its {@code promtool} lints the output, and a real
 * Prometheus server scrapes it on loopback and answers a query for {@code cache_gets_total}. The
 * Debian package {@code prometheus} provides both; CI installs it, and under CI their absence fails
 * the build instead of skipping.
 */
class PrometheusTest {
  private final HttpClient client = HttpClient.newHttpClient();
  @TempDir Path dir;
  private MetricsAggregator aggregator;
  private MetricsHttpServer server;

  @BeforeEach
  void start() throws IOException {
    aggregator = MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
    CacheMonitor rules =
        aggregator.register(CacheMonitor.builder("RuleCache").hitSampleRate(1).build());
    for (int i = 0; i < 7; i++) {
      rules.recordHit(rules.startLookup(), Source.MEMORY, "k");
    }
    rules.recordMiss(rules.startLookup(), null, "x");
    rules.recordPut(rules.startTimed(), "x", 10);
    aggregator.register(CacheMonitor.create("quote\"and\\slash"));
    server = MetricsHttpServer.builder(aggregator).port(0).start();
  }

  @AfterEach
  void stop() {
    server.close();
    aggregator.close();
  }

  private String scrape() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return response.body();
  }

  @Test
  void theExpositionUsesMicrometersCacheNames() throws Exception {
    String text = scrape();
    assertThat(text)
        .contains("# TYPE cache_gets_total counter")
        .contains("cache_gets_total{cache=\"RuleCache\",result=\"hit\"} 7.0")
        .contains("cache_gets_total{cache=\"RuleCache\",result=\"miss\"} 1.0")
        .contains("cache_puts_total{cache=\"RuleCache\"} 1.0")
        .contains("cache_evictions_total{cache=\"RuleCache\",cause=\"size\"} 0.0")
        .contains("cache_evictions_total{cache=\"RuleCache\",cause=\"expired\"} 0.0")
        .contains("cache_size{cache=\"RuleCache\"}")
        .contains("# TYPE cache_operation_duration_seconds histogram")
        .contains(
            "cache_operation_duration_seconds_bucket{cache=\"RuleCache\",operation=\"get\",le=\"+Inf\"} 8")
        .contains("cache_operation_duration_seconds_count{cache=\"RuleCache\",operation=\"get\"} 8")
        .contains("cache=\"quote\\\"and\\\\slash\"")
        .doesNotContain("quantile=", "summary");
  }

  /**
   * The histogram's buckets, count and sum against what the test recorded: lookups of known
   * durations (a ticker the test moves), each counted in every bucket whose bound it does not
   * exceed, through the monitor, the snapshot and the exposition.
   */
  @Test
  void theHistogramHoldsWhatWasRecorded() throws Exception {
    AtomicLong now = new AtomicLong();
    CacheMonitor timed =
        aggregator.register(CacheMonitor.builder("Timed").ticker(now::get).build());
    long[] durations = {150, 3_000, 3_000, 40_000, 1_500_000, 7_000_000_000L, 20_000_000_000L};
    for (long nanos : durations) {
      long start = timed.startLookup();
      now.addAndGet(nanos);
      timed.recordHit(start, Source.MEMORY, null);
    }
    Map<Double, Long> buckets = new TreeMap<>();
    Matcher m =
        Pattern.compile(
                "cache_operation_duration_seconds_bucket\\{cache=\"Timed\",operation=\"get\",le=\"([^\"]+)\"} (\\d+)")
            .matcher(scrape());
    while (m.find()) {
      double le =
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      buckets.put(le, Long.parseLong(m.group(2)));
    }
    assertThat(buckets).hasSize(LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS.size() + 1);
    buckets.forEach(
        (le, count) ->
            assertThat(count)
                .as("le=%s", le)
                .isEqualTo(Arrays.stream(durations).filter(d -> d / 1e9 <= le).count()));
    String text = scrape();
    assertThat(text)
        .contains("cache_operation_duration_seconds_count{cache=\"Timed\",operation=\"get\"} 7");
    Matcher sum =
        Pattern.compile(
                "cache_operation_duration_seconds_sum\\{cache=\"Timed\",operation=\"get\"} (\\S+)")
            .matcher(text);
    assertThat(sum.find()).isTrue();
    assertThat(Double.parseDouble(sum.group(1)))
        .isCloseTo(Arrays.stream(durations).sum() / 1e9, within(1e-9));
  }

  @Test
  void promtoolAcceptsTheOutput() throws Exception {
    RealPrometheus.assertPromtoolAccepts(scrape());
  }

  @Test
  void aRealPrometheusScrapesAndQueriesIt() throws Exception {
    try (RealPrometheus prometheus =
        RealPrometheus.scraping(server.port(), "/metrics", "cachescope", dir)) {
      prometheus.awaitQuery(
          "cache_gets_total{cache=\"RuleCache\",result=\"hit\"}",
          result -> {
            assertThat(result.size()).isEqualTo(1);
            assertThat(result.get(0).get("value").get(1).asText()).isEqualTo("7");
            assertThat(result.get(0).get("metric").get("job").asText()).isEqualTo("cachescope");
          });
    }
  }
}
