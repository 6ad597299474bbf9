package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records keep the JSON names of docs/data-model.md. The golden files list every field, so a
 * rename fails here; an addition must be added to them on purpose.
 */
class JsonNamesTest {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);

  @Test
  void anOperationSerialisesWithTheDesignsNames() throws IOException {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("RuleCache").ticker(ticker).trackKeys(true).build();
    try (OperationScope op = monitor.track(Operation.GET, "CON-01")) {
      ticker.advance(Duration.ofMillis(120));
      op.result(Result.MISS).source(Source.DISK).sizeBytes(512);
    }
    JsonNode json = JSON.valueToTree(monitor.recentOperations(1).get(0));

    assertThat(fieldNames(json)).containsExactlyElementsOf(golden("cache_operation.fields"));
    assertThat(json.get("cache_name").asText()).isEqualTo("RuleCache");
    assertThat(json.get("operation").asText()).isEqualTo("get");
    assertThat(json.get("result").asText()).isEqualTo("miss");
    assertThat(json.get("source").asText()).isEqualTo("disk");
    assertThat(json.get("duration_ms").asDouble()).isEqualTo(120.0);
    assertThat(json.get("key").asText()).isEqualTo("CON-01");
    assertThat(json.get("size_bytes").asLong()).isEqualTo(512);
  }

  @Test
  void aSeriesPointSerialisesWithSnakeCaseNames() {
    JsonNode json = JSON.valueToTree(new SeriesPoint(1.0, 5.0, 10, null, 2.0, 0.5));
    assertThat(fieldNames(json))
        .containsExactly(
            "timestamp", "seconds", "requests", "hit_rate", "operations_per_second", "p99_ms");
    assertThat(json.get("hit_rate").isNull()).isTrue();
  }

  @Test
  void aSnapshotSerialisesWithTheDesignsNamesFirst() throws IOException {
    CacheMonitor monitor = CacheMonitor.builder("RuleCache").hitSampleRate(1).build();
    monitor.recordHit(monitor.startLookup(), Source.MEMORY, "CON-01");
    JsonNode json = JSON.valueToTree(monitor.snapshot());

    List<String> names = fieldNames(json);
    assertThat(names).containsExactlyElementsOf(golden("cache_snapshot.fields"));
    assertThat(names.subList(0, 10))
        .containsExactly(
            "cache_name",
            "timestamp",
            "total_entries",
            "memory_usage_bytes",
            "hit_rate",
            "avg_operation_ms",
            "hits",
            "misses",
            "evictions",
            "custom_metrics");
    assertThat(fieldNames(json.get("latency_ms").get("get")))
        .containsExactly(
            "count",
            "mean_ms",
            "p50_ms",
            "p95_ms",
            "p99_ms",
            "p999_ms",
            "max_ms",
            "sum_ms",
            "bucket_counts",
            // For /metrics' native histograms; cachescope's own JSON (export's mapping) leaves
            // them out, a plain mapper like this one writes them.
            "exponential_buckets");
    assertThat(json.get("latency_ms").get("get").get("bucket_counts"))
        .hasSize(LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS.size() + 1);
    assertThat(fieldNames(json.get("windows").get("1m")))
        .containsExactly("seconds", "requests", "hit_rate", "operations_per_second");
    assertThat(fieldNames(json.get("windows"))).containsExactly("1m", "5m", "15m", "1h");
  }

  /** Snapshot files written before the buckets existed still read back, with none. */
  @Test
  void aLatencySummaryWithoutBucketsReadsBack() throws IOException {
    LatencySummary old =
        JSON.readValue(
            "{\"count\":2,\"mean_ms\":1.0,\"p50_ms\":1.0,\"p95_ms\":1.0,\"p99_ms\":1.0,"
                + "\"p999_ms\":1.0,\"max_ms\":1.0}",
            LatencySummary.class);
    assertThat(old.count()).isEqualTo(2);
    assertThat(old.bucketCounts()).isEmpty();
  }

  @Test
  void theSummarySerialisesWithTheDesignsNames() throws IOException {
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      aggregator.register(CacheMonitor.create("RuleCache"));
      JsonNode json = JSON.valueToTree(aggregator.summary());
      assertThat(fieldNames(json)).containsExactlyElementsOf(golden("metrics_summary.fields"));
      assertThat(fieldNames(json.get("caches"))).containsExactly("RuleCache");
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> golden(String file) throws IOException {
    try (InputStream in = JsonNamesTest.class.getResourceAsStream("/golden/" + file)) {
      assertThat(in).as("golden file " + file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .toList();
    }
  }
}
