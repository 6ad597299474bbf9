package dev.cachescope.export.alerts;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.SeriesPoint;
import dev.cachescope.Trend;
import dev.cachescope.WindowStats;
import dev.cachescope.alert.AlertEvaluator;
import dev.cachescope.alert.AlertRule;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.MonitoringBackend;
import dev.cachescope.export.config.AlertsConfig;
import dev.cachescope.export.internal.Daemon;
import dev.cachescope.export.internal.HealthTracker;
import dev.cachescope.export.internal.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the configured {@link AlertRule}s every few seconds on a daemon thread: logs each alert
 * that fires or resolves (SLF4J logger {@code cachescope.alerts}: WARN when firing, INFO when
 * resolved, one JSON object a line), keeps the states for {@code /api/alerts}, and POSTs the
 * transitions as JSON to the webhook when one is set.
 *
 * <p>A webhook that fails or hangs costs nothing but its own delivery: posts are asynchronous, time
 * out, at most 16 are in flight (more are dropped and counted), and failures show in {@link
 * #health()} and the log. Thread-safe.
 */
public final class AlertBackend implements MonitoringBackend {
  private static final Logger ALERTS = LoggerFactory.getLogger("cachescope.alerts");
  private static final int RECENT_EVENTS = 100;
  private static final int MAX_IN_FLIGHT = 16;
  private static final double MINUTE_SECONDS = 60;

  private final MetricsAggregator aggregator;
  private final AlertsConfig config;
  private final AlertEvaluator evaluator;
  private final HealthTracker health;
  private final Deque<AlertEvaluator.AlertEvent> recent = new ArrayDeque<>();
  private final @Nullable HttpClient client;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ScheduledExecutorService scheduler;

  private AlertBackend(MetricsAggregator aggregator, AlertsConfig config, boolean schedule) {
    this.aggregator = aggregator;
    this.config = config;
    this.evaluator = new AlertEvaluator(config.rules());
    URI webhook = config.webhook();
    this.health =
        new HealthTracker(
            "alerts",
            config.rules().size() + " rules" + (webhook == null ? "" : ", webhook " + webhook));
    this.client =
        webhook == null
            ? null
            : HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
    this.scheduler = Daemon.scheduler("cachescope-alerts");
    if (schedule) {
      long every = config.evaluateEvery().toMillis();
      scheduler.scheduleWithFixedDelay(this::evaluateSafely, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Starts evaluating {@code config}'s rules over {@code aggregator}'s caches. */
  public static AlertBackend start(MetricsAggregator aggregator, AlertsConfig config) {
    return new AlertBackend(aggregator, config, true);
  }

  /** A backend that evaluates only when {@link #evaluate()} is called (tests). */
  public static AlertBackend manual(MetricsAggregator aggregator, AlertsConfig config) {
    return new AlertBackend(aggregator, config, false);
  }

  private void evaluateSafely() {
    try {
      evaluate();
    } catch (RuntimeException e) {
      health.failed("evaluating alert rules", e);
    }
  }

  /** Evaluates every rule now; returns the transitions. */
  public List<AlertEvaluator.AlertEvent> evaluate() {
    List<CacheSnapshot> snapshots = aggregator.snapshots();
    double now = System.currentTimeMillis() / 1000.0;
    Map<String, List<SeriesPoint>> series = aggregator.series(now - MINUTE_SECONDS);
    List<AlertEvaluator.Observation> observations = new ArrayList<>();
    for (CacheSnapshot s : snapshots) {
      WindowStats minute = s.windows().get("1m");
      Double p99 = null;
      for (SeriesPoint point : series.getOrDefault(s.cacheName(), List.of())) {
        Double p = point.p99Ms();
        if (p != null && (p99 == null || p > p99)) {
          p99 = p;
        }
      }
      observations.add(
          new AlertEvaluator.Observation(
              s.cacheName(),
              s.timestamp(),
              minute == null ? 0 : minute.requests(),
              minute == null ? null : minute.hitRate(),
              p99,
              s.evictions(),
              s.memoryMethod().equals("unknown") ? -1 : s.memoryUsageBytes()));
    }
    List<AlertEvaluator.AlertEvent> events = evaluator.evaluate(observations);
    for (AlertEvaluator.AlertEvent event : events) {
      report(event);
    }
    return events;
  }

  private void report(AlertEvaluator.AlertEvent event) {
    synchronized (recent) {
      recent.addLast(event);
      while (recent.size() > RECENT_EVENTS) {
        recent.removeFirst();
      }
    }
    String json;
    try {
      json = Json.MAPPER.writeValueAsString(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      health.failed("writing an alert as JSON", e);
      return;
    }
    if (event.state().equals("firing")) {
      ALERTS.warn(json);
    } else {
      ALERTS.info(json);
    }
    post(json);
  }

  private void post(String json) {
    HttpClient c = client;
    URI webhook = config.webhook();
    if (c == null || webhook == null) {
      return;
    }
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      health.failed(
          "posting to " + webhook,
          new IllegalStateException(MAX_IN_FLIGHT + " posts already waiting; alert dropped"));
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(webhook)
            .timeout(config.webhookTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    c.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              inFlight.decrementAndGet();
              if (failure != null) {
                health.failed("posting to " + webhook, failure);
              } else if (response.statusCode() >= 300) {
                health.failed(
                    "posting to " + webhook,
                    new IllegalStateException("HTTP " + response.statusCode()));
              } else {
                health.ok(config.rules().size() + " rules, webhook " + webhook);
              }
            });
  }

  /**
   * What {@code /api/alerts} serves: the rules, every (rule, cache) state, the recent transitions
   * (newest last) and the caches whose trends are anomalous now.
   */
  public Map<String, Object> report() {
    Map<String, Object> body = new LinkedHashMap<>();
    List<Map<String, Object>> rules = new ArrayList<>();
    for (AlertRule rule : config.rules()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", rule.name());
      r.put("cache", rule.cache());
      r.put("metric", rule.metric().toString());
      r.put(rule.above() ? "above" : "below", rule.threshold());
      r.put("clear", rule.clearThreshold());
      r.put("for_seconds", rule.forDuration().toMillis() / 1000.0);
      r.put("min_requests", rule.minRequests());
      rules.add(r);
    }
    body.put("rules", rules);
    body.put("alerts", evaluator.states());
    synchronized (recent) {
      body.put("events", List.copyOf(recent));
    }
    return body;
  }

  /** The caches whose hit rate or p99 is now anomalous against its baseline. */
  public static List<Map<String, Object>> anomalies(List<CacheSnapshot> snapshots) {
    List<Map<String, Object>> anomalies = new ArrayList<>();
    for (CacheSnapshot s : snapshots) {
      for (Map.Entry<String, Trend> trend : s.trends().entrySet()) {
        Trend t = trend.getValue();
        if (t.anomaly()) {
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("cache", s.cacheName());
          a.put("metric", trend.getKey());
          a.put("value", t.value());
          a.put("baseline", t.baseline());
          a.put("deviation", t.deviation());
          anomalies.add(a);
        }
      }
    }
    return anomalies;
  }

  @Override
  public BackendHealth health() {
    return health.health();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
