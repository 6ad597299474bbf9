package dev.cachescope.export.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.alert.AlertEvaluator;
import dev.cachescope.alert.AlertRule;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.Monitoring;
import dev.cachescope.export.config.AlertsConfig;
import dev.cachescope.export.config.ConfigException;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.export.internal.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert rules from monitoring.yaml, evaluated over real monitors, posted to a real receiver. */
class AlertsTest {
  @TempDir Path dir;
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    aggregator.close();
  }

  private MonitoringConfig config(String alerts) throws Exception {
    Path file = dir.resolve("monitoring.yaml");
    Files.writeString(file, "cache_monitoring:\n  alerts:\n" + alerts.indent(4));
    return MonitoringConfig.load(file, Map.of());
  }

  private String hook() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  @Test
  void rulesAreReadFromTheFile() throws Exception {
    MonitoringConfig config =
        config(
            """
            evaluate_every_seconds: 2
            webhook: %s
            rules:
              - name: low-hit-rate
                metric: hit_rate
                below: 0.5
                clear: 0.6
                for: 2m
              - name: slow
                cache: FileCache
                metric: p99_ms
                above: 50
            """
                .formatted(hook()));
    AlertsConfig alerts = config.alerts();
    assertThat(alerts.evaluateEvery()).isEqualTo(Duration.ofSeconds(2));
    assertThat(alerts.webhook()).isEqualTo(URI.create(hook()));
    assertThat(alerts.rules())
        .containsExactly(
            new AlertRule(
                "low-hit-rate",
                "*",
                AlertRule.Metric.HIT_RATE,
                false,
                0.5,
                0.6,
                Duration.ofMinutes(2),
                20),
            new AlertRule(
                "slow", "FileCache", AlertRule.Metric.P99_MS, true, 50, 50, Duration.ZERO, 20));
    assertThat(MonitoringConfig.defaults().alerts().rules()).isEmpty();
  }

  @Test
  void badRulesNameTheFileTheRuleAndWhatWasExpected() {
    assertThatThrownBy(() -> config("rules:\n  - {name: r, metric: hits, below: 1}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("monitoring.yaml")
        .hasMessageContaining("cache_monitoring.alerts.rules[0].metric")
        .hasMessageContaining("expected one of hit_rate, miss_rate, p99_ms");
    assertThatThrownBy(() -> config("rules:\n  - {name: r, metric: hit_rate, below: 1, above: 2}"))
        .hasMessageContaining("rules[0]: give exactly one of 'above' or 'below'");
    assertThatThrownBy(() -> config("rules:\n  - {name: r, metric: hit_rate, below: 1, for: soon}"))
        .hasMessageContaining("rules[0].for")
        .hasMessageContaining("expected a duration such as 30s, 5m or 1h, got 'soon'");
    assertThatThrownBy(
            () ->
                config(
                    "rules:\n  - {name: r, metric: hit_rate, below: 1}\n"
                        + "  - {name: r, metric: p99_ms, above: 1}"))
        .hasMessageContaining("rules[1].name: 'r' is used by an earlier rule");
    assertThatThrownBy(() -> config("webhook: ftp://example/hook"))
        .hasMessageContaining("alerts.webhook")
        .hasMessageContaining("expected an http:// or https:// URL");
    assertThatThrownBy(
            () -> config("rules:\n  - {name: r, metric: hit_rate, below: 0.5, clear: 0.4}"))
        .hasMessageContaining("clear must be on the good side");
  }

  @Test
  void anAlertFiresIsPostedAndLoggedThenResolves() throws Exception {
    CacheMonitor monitor = aggregator.register(CacheMonitor.builder("rules").build());
    AlertsConfig alerts =
        config(
                """
                webhook: %s
                rules:
                  - {name: low-hit-rate, metric: hit_rate, below: 0.5, min_requests: 10}
                """
                    .formatted(hook()))
            .alerts();
    try (AlertBackend backend = AlertBackend.manual(aggregator, alerts)) {
      assertThat(backend.evaluate()).as("no traffic yet: nothing to judge").isEmpty();
      for (int i = 0; i < 20; i++) {
        monitor.recordMiss(monitor.startLookup(), null, "k" + i);
      }
      List<AlertEvaluator.AlertEvent> fired = backend.evaluate();
      assertThat(fired).extracting(AlertEvaluator.AlertEvent::state).containsExactly("firing");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(1));
      JsonNode posted = Json.MAPPER.readTree(received.get(0));
      assertThat(posted.get("rule").asText()).isEqualTo("low-hit-rate");
      assertThat(posted.get("cache").asText()).isEqualTo("rules");
      assertThat(posted.get("state").asText()).isEqualTo("firing");
      assertThat(posted.get("value").asDouble()).isEqualTo(0.0);

      for (int i = 0; i < 100; i++) {
        monitor.recordHit(monitor.startLookup(), Source.MEMORY, "k");
      }
      assertThat(backend.evaluate())
          .extracting(AlertEvaluator.AlertEvent::state)
          .containsExactly("resolved");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(2));
      assertThat(backend.health().ok()).isTrue();
      assertThat(String.valueOf(backend.report().get("events"))).contains("firing", "resolved");
    }
  }

  @Test
  void aDeadWebhookIsAVisibleFaultAndNothingMore() throws Exception {
    receiver.stop(0);
    CacheMonitor monitor = aggregator.register(CacheMonitor.builder("c").build());
    AlertsConfig alerts =
        config(
                """
                webhook: %s
                webhook_timeout_seconds: 1
                rules:
                  - {name: low, metric: hit_rate, below: 0.5, min_requests: 1}
                """
                    .formatted(hook()))
            .alerts();
    try (AlertBackend backend = AlertBackend.manual(aggregator, alerts)) {
      monitor.recordMiss(monitor.startLookup(), null, "k");
      assertThat(backend.evaluate()).hasSize(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(backend.health().state()).isEqualTo("failing"));
      assertThat(backend.health().detail()).contains("posting to " + hook());
      monitor.recordHit(monitor.startLookup(), Source.MEMORY, "k");
      assertThat(aggregator.snapshot("c").orElseThrow().gets()).isEqualTo(2);
    }
  }

  @Test
  void theApiServesAlertStatesAndAnomalies() throws Exception {
    Path file = dir.resolve("monitoring.yaml");
    Files.writeString(
        file,
        """
        cache_monitoring:
          backends:
            - type: api
              port: 0
          alerts:
            evaluate_every_seconds: 1
            rules:
              - {name: low, metric: hit_rate, below: 0.5, min_requests: 1}
        """);
    CacheMonitor monitor = aggregator.register(CacheMonitor.builder("c").build());
    monitor.recordMiss(monitor.startLookup(), null, "k");
    try (Monitoring monitoring =
        Monitoring.start(MonitoringConfig.load(file, Map.of()), aggregator)) {
      String url = monitoring.server().orElseThrow().url();
      HttpClient client = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                HttpResponse<String> response =
                    client.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/alerts")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode body = Json.MAPPER.readTree(response.body());
                assertThat(body.get("rules").get(0).get("below").asDouble()).isEqualTo(0.5);
                assertThat(body.get("alerts").get(0).get("state").asText()).isEqualTo("firing");
                assertThat(body.get("alerts").get(0).get("cache").asText()).isEqualTo("c");
                assertThat(body.get("anomalies").isArray()).isTrue();
              });
      assertThat(monitoring.health()).extracting(BackendHealth::backend).contains("alerts");
    }
  }
}
