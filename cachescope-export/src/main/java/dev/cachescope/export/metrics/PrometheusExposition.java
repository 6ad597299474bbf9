package dev.cachescope.export.metrics;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import dev.cachescope.Operation;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snapshots in the Prometheus text format: every meter of the {@link MetricCatalog} (Micrometer's
 * cache meter names, so existing Grafana dashboards work: {@code
 * cache_gets_total{cache,result="hit|miss"}}, {@code cache_puts_total}, {@code cache_size}, ...),
 * then the histogram {@code cache_operation_duration_seconds} per cache and operation ({@code get},
 * {@code load}, {@code set}): classic buckets ({@code _bucket{le}}, {@code _count}, {@code _sum})
 * over the fixed bounds of {@link LatencySummary#BUCKET_UPPER_BOUNDS_SECONDS}, cumulative since the
 * monitor started, so that {@code rate()} gives any window and {@code sum by (le)} adds instances
 * up for {@code histogram_quantile}. No quantile is published: a quantile since start hides recent
 * change and cannot be added across instances. Written by Prometheus's own exposition library.
 */
public final class PrometheusExposition {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  /**
   * The operations whose durations are published: lookups, loads and writes. Removals and clears
   * stay in the JSON API; 28 lines each per cache were not worth their scrape cost.
   */
  private static final Set<String> HISTOGRAM_OPERATIONS =
      Set.of(Operation.GET.toString(), Operation.LOAD.toString(), Operation.SET.toString());

  /** {@link LatencySummary#BUCKET_UPPER_BOUNDS_SECONDS} and {@code +Inf}. */
  private static final double[] UPPER_BOUNDS = upperBounds();

  private PrometheusExposition() {}

  public static void write(OutputStream out, List<CacheSnapshot> snapshots) throws IOException {
    List<MetricSnapshot> metrics = new ArrayList<>();
    List<MetricCatalog.Metric> catalog = MetricCatalog.METRICS;
    for (int i = 0; i < catalog.size(); ) {
      MetricCatalog.Metric first = catalog.get(i);
      int end = i;
      while (end < catalog.size() && catalog.get(end).name().equals(first.name())) {
        end++;
      }
      metrics.add(snapshot(catalog.subList(i, end), snapshots));
      i = end;
    }
    metrics.add(durations(snapshots));
    // The two-argument write is in every 1.x release; Spring Boot 3.5 applications run 1.3, which
    // has no EscapingScheme. Our names need no escaping.
    WRITER.write(out, MetricSnapshots.of(metrics.toArray(MetricSnapshot[]::new)));
  }

  /** One metric family: the catalog entries that share a name, one data point per cache each. */
  private static MetricSnapshot snapshot(
      List<MetricCatalog.Metric> family, List<CacheSnapshot> snapshots) {
    MetricCatalog.Metric first = family.get(0);
    if (first.kind() == MetricCatalog.Kind.COUNTER) {
      CounterSnapshot.Builder builder =
          CounterSnapshot.builder().name(first.prometheusName()).help(first.help());
      for (MetricCatalog.Metric metric : family) {
        for (CacheSnapshot s : snapshots) {
          builder.dataPoint(
              CounterDataPointSnapshot.builder()
                  .labels(labels(metric, s))
                  .value(metric.value().applyAsDouble(s))
                  .build());
        }
      }
      return builder.build();
    }
    GaugeSnapshot.Builder builder =
        GaugeSnapshot.builder().name(first.prometheusName()).help(first.help());
    for (MetricCatalog.Metric metric : family) {
      for (CacheSnapshot s : snapshots) {
        builder.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(labels(metric, s))
                .value(metric.value().applyAsDouble(s))
                .build());
      }
    }
    return builder.build();
  }

  private static Labels labels(MetricCatalog.Metric metric, CacheSnapshot s) {
    String key = metric.tagKey();
    String value = metric.tagValue();
    return key == null || value == null
        ? Labels.of("cache", s.cacheName())
        : Labels.of("cache", s.cacheName(), key, value);
  }

  private static HistogramSnapshot durations(List<CacheSnapshot> snapshots) {
    HistogramSnapshot.Builder durations =
        HistogramSnapshot.builder()
            .name("cache_operation_duration_seconds")
            .help(
                "Operation durations since the monitor started, sampled lookups weighted; fixed"
                    + " buckets from 100 ns to 10 s, the same on every instance");
    for (CacheSnapshot s : snapshots) {
      for (Map.Entry<String, LatencySummary> e : s.latencyMs().entrySet()) {
        LatencySummary l = e.getValue();
        if (!HISTOGRAM_OPERATIONS.contains(e.getKey())
            || l.bucketCounts().size() != UPPER_BOUNDS.length) {
          continue;
        }
        long[] counts = new long[UPPER_BOUNDS.length];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = l.bucketCounts().get(i);
        }
        durations.dataPoint(
            HistogramDataPointSnapshot.builder()
                .labels(Labels.of("cache", s.cacheName(), "operation", e.getKey()))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, counts))
                .sum(l.sumMs() / 1e3)
                .build());
      }
    }
    return durations.build();
  }

  private static double[] upperBounds() {
    List<Double> bounds = LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS;
    double[] withInf = new double[bounds.size() + 1];
    for (int i = 0; i < bounds.size(); i++) {
      withInf[i] = bounds.get(i);
    }
    withInf[bounds.size()] = Double.POSITIVE_INFINITY;
    return withInf;
  }
}
