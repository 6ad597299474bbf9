package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.LatencySummary;
import dev.cachescope.export.testing.RealPrometheus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet path end to end: two demo JVMs, a real Prometheus scraping both, and the Grafana
 * dashboard in {@code grafana/}. Every PromQL expression of the dashboard must return data; the
 * fleet hit rate must be the two instances' summed hits over summed lookups as their JSON APIs give
 * them, within one scrape; and the fleet p99 from {@code histogram_quantile} over the added buckets
 * must fall within the bucket resolution of the exact p99 of both instances' samples.
 */
class FleetDashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DASHBOARD = Path.of("../grafana/cachescope-fleet.json");

  @TempDir Path dir;

  @Test
  void everyDashboardQueryAnswersAndTheFleetAddsUp() throws Exception {
    try (DemoProcess a = DemoProcess.start(dir.resolve("a"), 150);
        DemoProcess b = DemoProcess.start(dir.resolve("b"), 300);
        RealPrometheus prometheus =
            RealPrometheus.scraping(List.of(a.port(), b.port()), "/metrics", "demo", dir)) {
      prometheus.awaitQuery(
          "count by (instance) (cache_gets_total{result=\"hit\"})",
          result -> assertThat(result).hasSize(2));

      for (String expression : dashboardExpressions()) {
        String query =
            expression
                .replace("$__rate_interval", "15s")
                .replace("$job", ".*")
                .replace("$instance", ".*")
                .replace("$cache", ".*");
        prometheus.awaitQuery(query, result -> assertThat(result).as(query).isNotEmpty());
      }

      fleetHitRateIsTheSummedCounts(prometheus, a, b);
      fleetP99IsWithinTheBucketsOfTheExactOne(prometheus, a, b);
    }
  }

  /**
   * Counters only grow: the JSON totals read before Prometheus's latest scrapes and after them
   * bracket what Prometheus stored, so the fleet's numbers must lie between.
   */
  private static void fleetHitRateIsTheSummedCounts(
      RealPrometheus prometheus, DemoProcess a, DemoProcess b) throws Exception {
    long[] before = totals(a, b);
    double readAt = System.currentTimeMillis() / 1000.0;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                prometheus
                        .query("min(timestamp(cache_gets_total))")
                        .get(0)
                        .get("value")
                        .get(1)
                        .asDouble()
                    > readAt);
    double hits = value(prometheus.query("sum(cache_gets_total{result=\"hit\"})"));
    double lookups = value(prometheus.query("sum(cache_gets_total)"));
    double hitRate =
        value(prometheus.query("sum(cache_gets_total{result=\"hit\"}) / sum(cache_gets_total)"));
    long[] after = totals(a, b);
    System.out.printf(
        "fleet: Prometheus %.0f hits / %.0f lookups = %.5f; JSON before %d / %d, after %d / %d%n",
        hits, lookups, hitRate, before[0], before[1], after[0], after[1]);

    assertThat(hits).isBetween((double) before[0], (double) after[0]);
    assertThat(lookups).isBetween((double) before[1], (double) after[1]);
    assertThat(hitRate)
        .isBetween((double) before[0] / after[1], (double) after[0] / before[1])
        .isBetween(0.05, 0.99);
  }

  /**
   * The exact p99 over both instances' samples lies between the two instances' own p99s (the
   * fleet's distribution is a mixture of theirs); Prometheus's must lie in the buckets that hold
   * them.
   */
  private static void fleetP99IsWithinTheBucketsOfTheExactOne(
      RealPrometheus prometheus, DemoProcess a, DemoProcess b) throws Exception {
    String query =
        "histogram_quantile(0.99, sum by (le) (cache_operation_duration_seconds_bucket{cache=\"CacheManager\", operation=\"get\"}))";
    double p99a = p99Seconds(a);
    double p99b = p99Seconds(b);
    double fleet = value(prometheus.query(query));
    double p99aAfter = p99Seconds(a);
    double p99bAfter = p99Seconds(b);
    double low = Math.min(Math.min(p99a, p99b), Math.min(p99aAfter, p99bAfter));
    double high = Math.max(Math.max(p99a, p99b), Math.max(p99aAfter, p99bAfter));
    System.out.printf(
        "fleet p99 of CacheManager lookups: %.3g s from histogram_quantile; instances %.3g and"
            + " %.3g s%n",
        fleet, p99a, p99b);
    // A duration within 1% of a bound may be counted on either side of it.
    assertThat(fleet)
        .as("fleet p99 against instance p99s %s .. %s", low, high)
        .isBetween(bucketBelow(low * 0.99), bucketAbove(high * 1.01));
  }

  private static double p99Seconds(DemoProcess demo) throws Exception {
    return demo.get("/api/metrics/cache/CacheManager/snapshot")
            .get("latency_ms")
            .get("get")
            .get("p99_ms")
            .asDouble()
        / 1e3;
  }

  /** The lower bound of the fixed bucket that holds {@code seconds}. */
  private static double bucketBelow(double seconds) {
    double below = 0;
    for (double bound : LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS) {
      if (bound >= seconds) {
        return below;
      }
      below = bound;
    }
    return below;
  }

  /** The upper bound of the fixed bucket that holds {@code seconds}. */
  private static double bucketAbove(double seconds) {
    for (double bound : LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS) {
      if (bound >= seconds) {
        return bound;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Hits and lookups of every cache of both instances, from their JSON APIs. */
  private static long[] totals(DemoProcess a, DemoProcess b) throws Exception {
    long[] totals = new long[2];
    for (DemoProcess demo : List.of(a, b)) {
      for (JsonNode cache : demo.get("/api/metrics/cache/summary").get("caches")) {
        totals[0] += cache.get("hits").asLong();
        totals[1] += cache.get("gets").asLong();
      }
    }
    return totals;
  }

  private static double value(JsonNode result) {
    assertThat(result).hasSize(1);
    return result.get(0).get("value").get(1).asDouble();
  }

  /** Every {@code expr} of every panel's targets. */
  private static List<String> dashboardExpressions() throws Exception {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        expressions.add(target.get("expr").asText());
      }
    }
    assertThat(expressions).hasSizeGreaterThanOrEqualTo(12);
    return expressions;
  }
}
