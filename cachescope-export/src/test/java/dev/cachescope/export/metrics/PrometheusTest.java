package dev.cachescope.export.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheMonitor;
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
        .contains("cache_evictions_total{cache=\"RuleCache\"} 0.0")
        .contains("cache_size{cache=\"RuleCache\"}")
        .contains(
            "cache_operation_duration_seconds{cache=\"RuleCache\",operation=\"get\",quantile=\"0.99\"}")
        .contains("cache=\"quote\\\"and\\\\slash\"");
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
