package dev.cachescope.export;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Snapshots in the Prometheus text format, with Micrometer's cache meter names so existing Grafana
 * dashboards work: {@code cache_gets_total{cache,result="hit|miss"}}, {@code cache_puts_total},
 * {@code cache_evictions_total}, {@code cache_removals_total}, {@code cache_size}; and cachescope's
 * {@code cache_loads_total{result="success|failure"}}, {@code cache_hit_ratio}, {@code
 * cache_memory_bytes} and the summary {@code cache_operation_duration_seconds} with quantiles 0.5,
 * 0.95, 0.99 and 0.999 per operation type. Written by Prometheus's own exposition library.
 */
final class PrometheusExposition {
  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  private PrometheusExposition() {}

  static void write(OutputStream out, List<CacheSnapshot> snapshots) throws IOException {
    CounterSnapshot.Builder gets =
        CounterSnapshot.builder().name("cache_gets").help("Cache lookups, by result");
    CounterSnapshot.Builder loads =
        CounterSnapshot.builder().name("cache_loads").help("Loads after a miss, by result");
    SummarySnapshot.Builder durations =
        SummarySnapshot.builder()
            .name("cache_operation_duration_seconds")
            .help("Operation durations since the monitor started (sampled hits weighted)");
    for (CacheSnapshot s : snapshots) {
      gets.dataPoint(counter(s, "result", "hit", s.hits()));
      gets.dataPoint(counter(s, "result", "miss", s.misses()));
      loads.dataPoint(counter(s, "result", "success", s.loads()));
      loads.dataPoint(counter(s, "result", "failure", s.loadFailures()));
      for (Map.Entry<String, LatencySummary> e : s.latencyMs().entrySet()) {
        LatencySummary l = e.getValue();
        durations.dataPoint(
            SummaryDataPointSnapshot.builder()
                .labels(Labels.of("cache", s.cacheName(), "operation", e.getKey()))
                .count(l.count())
                .sum(l.meanMs() * l.count() / 1e3)
                .quantiles(
                    Quantiles.of(
                        new Quantile(0.5, l.p50Ms() / 1e3),
                        new Quantile(0.95, l.p95Ms() / 1e3),
                        new Quantile(0.99, l.p99Ms() / 1e3),
                        new Quantile(0.999, l.p999Ms() / 1e3)))
                .build());
      }
    }
    MetricSnapshots metrics =
        MetricSnapshots.of(
            gets.build(),
            counter("cache_puts", "Values written", snapshots, CacheSnapshot::puts),
            counter(
                "cache_evictions",
                "Entries the cache dropped by itself",
                snapshots,
                CacheSnapshot::evictions),
            counter(
                "cache_removals", "Entries removed on request", snapshots, CacheSnapshot::removals),
            loads.build(),
            counter(
                "cache_errors", "Operations the cache failed", snapshots, CacheSnapshot::errors),
            gauge("cache_size", "Entries in the cache", snapshots, CacheSnapshot::totalEntries),
            gauge(
                "cache_hit_ratio",
                "Hits / lookups since the monitor started",
                snapshots,
                CacheSnapshot::hitRate),
            gauge(
                "cache_memory_bytes",
                "Memory the entries take, 0 when unknown",
                snapshots,
                CacheSnapshot::memoryUsageBytes),
            durations.build());
    WRITER.write(out, metrics, EscapingScheme.UNDERSCORE_ESCAPING);
  }

  private static CounterDataPointSnapshot counter(
      CacheSnapshot s, String label, String value, long count) {
    return CounterDataPointSnapshot.builder()
        .labels(Labels.of("cache", s.cacheName(), label, value))
        .value((double) count)
        .build();
  }

  private static CounterSnapshot counter(
      String name,
      String help,
      List<CacheSnapshot> snapshots,
      ToDoubleFunction<CacheSnapshot> value) {
    CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
    for (CacheSnapshot s : snapshots) {
      builder.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(Labels.of("cache", s.cacheName()))
              .value(value.applyAsDouble(s))
              .build());
    }
    return builder.build();
  }

  private static GaugeSnapshot gauge(
      String name,
      String help,
      List<CacheSnapshot> snapshots,
      ToDoubleFunction<CacheSnapshot> value) {
    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
    for (CacheSnapshot s : snapshots) {
      builder.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(Labels.of("cache", s.cacheName()))
              .value(value.applyAsDouble(s))
              .build());
    }
    return builder.build();
  }
}
