package dev.cachescope.export.metrics;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Snapshots in the Prometheus text format: every meter of the {@link MetricCatalog} (Micrometer's
 * cache meter names, so existing Grafana dashboards work: {@code
 * cache_gets_total{cache,result="hit|miss"}}, {@code cache_puts_total}, {@code cache_size}, ...),
 * then the summary {@code cache_operation_duration_seconds} with quantiles 0.5, 0.95, 0.99 and
 * 0.999 per operation type. Written by Prometheus's own exposition library.
 */
public final class PrometheusExposition {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

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
    WRITER.write(
        out,
        MetricSnapshots.of(metrics.toArray(MetricSnapshot[]::new)),
        EscapingScheme.UNDERSCORE_ESCAPING);
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

  private static SummarySnapshot durations(List<CacheSnapshot> snapshots) {
    SummarySnapshot.Builder durations =
        SummarySnapshot.builder()
            .name("cache_operation_duration_seconds")
            .help("Operation durations since the monitor started (sampled hits weighted)");
    for (CacheSnapshot s : snapshots) {
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
    return durations.build();
  }
}
