package dev.cachescope.export.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheMonitor;
import dev.cachescope.ExponentialBuckets;
import dev.cachescope.LatencySummary;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.http.MetricsHttpServer;
import dev.cachescope.export.testing.RealPrometheus;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms, proven against ground truth: two instances time lookups drawn from different
 * distributions, a real Prometheus with native histograms enabled scrapes both (and so negotiates
 * protobuf), and the fleet p99 it computes with {@code histogram_quantile} over the summed native
 * histograms must lie within one bucket of the exact p99 of every duration both recorded.
 */
class NativeHistogramTest {
  private static final int LOOKUPS = 3_000;

  /** One native bucket (schema 4: 2^(1/16)) and HdrHistogram's 1%: the resolution promised. */
  private static final double RESOLUTION = Math.pow(2, 1.0 / 16) * 1.01;

  private final HttpClient client = HttpClient.newHttpClient();
  @TempDir Path dir;
  private final List<MetricsAggregator> aggregators =
      List.of(
          MetricsAggregator.builder().publishInterval(Duration.ZERO).build(),
          MetricsAggregator.builder().publishInterval(Duration.ZERO).build());
  private final long[] durations = new long[2 * LOOKUPS];
  private MetricsHttpServer[] servers;

  @BeforeEach
  void twoInstancesTimeTheirLookups() throws Exception {
    SplittableRandom random = new SplittableRandom(20261206);
    servers = new MetricsHttpServer[2];
    for (int instance = 0; instance < 2; instance++) {
      AtomicLong now = new AtomicLong();
      MetricsAggregator aggregator = aggregators.get(instance);
      CacheMonitor fleet =
          aggregator.register(
              CacheMonitor.builder("fleet").hitSampleRate(1).ticker(now::get).build());
      // Instance 0 around 2 µs, instance 1 around 20 µs with a tail: log-normal durations.
      double median = instance == 0 ? 2_000 : 20_000;
      for (int i = 0; i < LOOKUPS; i++) {
        long nanos = Math.max(1, Math.round(median * Math.exp(random.nextGaussian() * 0.8)));
        durations[instance * LOOKUPS + i] = nanos;
        long start = fleet.startLookup();
        now.addAndGet(nanos);
        fleet.recordHit(start, Source.MEMORY, null);
        if (i % 500 == 499) {
          aggregator.flush(); // as the publisher drains
        }
      }
      servers[instance] = MetricsHttpServer.builder(aggregator).port(0).start();
    }
  }

  @AfterEach
  void stop() {
    for (MetricsHttpServer server : servers) {
      server.close();
    }
    aggregators.forEach(MetricsAggregator::close);
  }

  @Test
  void theSnapshotsExponentialBucketsHoldWhatWasRecorded() {
    LatencySummary get =
        Objects.requireNonNull(
            aggregators.get(0).snapshot("fleet").orElseThrow().latencyMs().get("get"));
    ExponentialBuckets buckets = Objects.requireNonNull(get.exponentialBuckets());
    assertThat(buckets.schema()).isEqualTo(ExponentialBuckets.SCHEMA);
    assertThat(java.util.Arrays.stream(buckets.counts()).sum()).isEqualTo(LOOKUPS);
    // Every duration in the bucket that holds it or, within HdrHistogram's 1% of a bucket's edge,
    // in the neighbouring one: the cumulative counts never lag or lead by more than one bucket.
    int n = buckets.size();
    long[] expected = new long[n + 2];
    for (int i = 0; i < LOOKUPS; i++) {
      int index = ExponentialBuckets.index(durations[i] / 1e9, ExponentialBuckets.SCHEMA);
      expected[Math.max(0, Math.min(n + 1, index - buckets.offset() + 1))]++;
    }
    long expectedBefore = 0;
    long actual = 0;
    long moved = 0;
    for (int i = 0; i < n; i++) {
      actual += buckets.count(i);
      long expectedThrough = expectedBefore + expected[i + 1];
      assertThat(actual)
          .as("durations up to bucket %d", buckets.offset() + i)
          .isBetween(expectedBefore, expectedThrough + expected[i + 2]);
      moved += Math.abs(actual - expectedThrough);
      expectedBefore = expectedThrough;
    }
    assertThat(expected[0]).as("none below the first bucket").isZero();
    System.out.printf("%d of %d durations at a bucket's edge went next door%n", moved, LOOKUPS);
    assertThat(moved).isLessThan(LOOKUPS / 10);
  }

  @Test
  void theJsonApiLeavesTheExponentialBucketsOut() throws Exception {
    String snapshot =
        client
            .send(
                HttpRequest.newBuilder(
                        URI.create(servers[0].url() + "/api/metrics/cache/fleet/snapshot"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(snapshot).contains("\"bucket_counts\"").doesNotContain("exponential");
  }

  @Test
  void aScraperThatAsksForProtobufGetsItAndOthersGetText() throws Exception {
    HttpResponse<byte[]> protobuf =
        client.send(
            HttpRequest.newBuilder(URI.create(servers[0].url() + "/metrics"))
                .header("Accept", PrometheusProtobufWriter.CONTENT_TYPE + ";q=0.9,text/plain;q=0.1")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(protobuf.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/vnd.google.protobuf");
    assertThat(protobuf.headers().firstValue("Vary").orElseThrow()).isEqualTo("Accept");
    assertThat(new String(protobuf.body(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("cache_operation_duration_seconds");

    HttpResponse<String> text =
        client.send(
            HttpRequest.newBuilder(URI.create(servers[0].url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(text.body()).contains("cache_operation_duration_seconds_bucket{");
  }

  @Test
  void aRealPrometheusComputesTheFleetP99FromTheNativeHistograms() throws Exception {
    long[] sorted = durations.clone();
    Arrays.sort(sorted);
    double exactP99 = sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e9;
    try (RealPrometheus prometheus =
        RealPrometheus.scraping(
            List.of(servers[0].port(), servers[1].port()),
            "/metrics",
            "fleet",
            dir,
            List.of("--enable-feature=native-histograms"))) {
      String query =
          "histogram_quantile(0.99, sum(cache_operation_duration_seconds"
              + "{cache=\"fleet\",operation=\"get\"}))";
      prometheus.awaitQuery(
          query,
          result -> {
            assertThat(result.size()).as(query).isEqualTo(1);
            double fleetP99 = result.get(0).get("value").get(1).asDouble();
            System.out.printf(
                "fleet p99: Prometheus %.3f µs, exact %.3f µs%n", fleetP99 * 1e6, exactP99 * 1e6);
            assertThat(fleetP99 / exactP99)
                .as("fleet p99 %s s against the exact %s s", fleetP99, exactP99)
                .isBetween(1 / RESOLUTION, RESOLUTION);
          });
      // The native histogram counts every lookup of both instances.
      prometheus.awaitQuery(
          "histogram_count(sum(cache_operation_duration_seconds{cache=\"fleet\",operation=\"get\"}))",
          result ->
              assertThat(result.get(0).get("value").get(1).asDouble()).isEqualTo(2 * LOOKUPS));
    }
  }
}
