package dev.cachescope.export.metrics;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.ExponentialBuckets;
import dev.cachescope.LatencySummary;
import dev.cachescope.Operation;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
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
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Snapshots in the Prometheus text format: every meter of the {@link MetricCatalog} (Micrometer's
 * cache meter names, so existing Grafana dashboards work: {@code
 * cache_gets_total{cache,result="hit|miss"}}, {@code cache_puts_total}, {@code cache_size}, ...),
 * then the histogram {@code cache_operation_duration_seconds} per cache and operation ({@code get},
 * {@code load}, {@code set}): classic buckets ({@code _bucket{le}}, {@code _count}, {@code _sum})
 * over the fixed bounds of {@link LatencySummary#BUCKET_UPPER_BOUNDS_SECONDS}, cumulative since the
 * monitor started, so that {@code rate()} gives any window and {@code sum by (le)} adds instances
 * up for {@code histogram_quantile}. No quantile is published: a quantile since start hides recent
 * change and cannot be added across instances. The text is written by {@link TextExposition}, byte
 * for byte what Prometheus's own writer writes, in a fifth of the time; the protobuf by
 * Prometheus's library.
 *
 * <p>Each histogram also carries the same distribution as a native histogram ({@link
 * ExponentialBuckets}, schema {@value ExponentialBuckets#SCHEMA}: 4.4% buckets instead of 2–2.5×),
 * which only the protobuf exposition can express: {@link #write(OutputStream, List, String)}
 * answers a scraper whose {@code Accept} asks for protobuf (Prometheus with native histograms
 * enabled) in protobuf, where the protobuf writer, {@code
 * io.prometheus:prometheus-metrics-exposition-formats}, is on the class path (the runnable app has
 * it; so does every Spring Boot application with Micrometer's Prometheus registry), and everyone
 * else in the text format.
 */
public final class PrometheusExposition {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  static final String DURATIONS = "cache_operation_duration_seconds";
  static final String DURATIONS_HELP =
      "Operation durations since the monitor started, sampled lookups weighted; fixed"
          + " buckets from 100 ns to 10 s, the same on every instance";

  private static final PrometheusProtobufWriter PROTOBUF = new PrometheusProtobufWriter();

  /**
   * The operations whose durations are published: lookups, loads and writes. Removals and clears
   * stay in the JSON API; 28 lines each per cache were not worth their scrape cost.
   */
  static final List<String> HISTOGRAM_OPERATIONS =
      List.of(Operation.GET.toString(), Operation.LOAD.toString(), Operation.SET.toString());

  /** {@link LatencySummary#BUCKET_UPPER_BOUNDS_SECONDS} and {@code +Inf}. */
  private static final double[] UPPER_BOUNDS = upperBounds();

  private PrometheusExposition() {}

  /** Writes {@code snapshots} in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public static void write(OutputStream out, List<CacheSnapshot> snapshots) throws IOException {
    TextExposition.write(out, snapshots);
  }

  /**
   * Writes {@code snapshots} in the format a scraper's {@code Accept} header asks for: protobuf,
   * with native histograms, when it asks for it and the protobuf writer is on the class path; the
   * text format otherwise.
   *
   * @param accept the request's {@code Accept} header, or null
   * @return the content type written
   */
  public static String write(
      OutputStream out, List<CacheSnapshot> snapshots, @Nullable String accept) throws IOException {
    if (accept != null && PROTOBUF.accepts(accept) && PROTOBUF.isAvailable()) {
      // The two-argument write is in every 1.x release; Spring Boot 3.5 applications run 1.3,
      // which has no EscapingScheme. Our names need no escaping.
      PROTOBUF.write(out, metricSnapshots(snapshots));
      return PROTOBUF.getContentType();
    }
    write(out, snapshots);
    return CONTENT_TYPE;
  }

  /** The snapshots as Prometheus's data model: what the protobuf writer writes. */
  static MetricSnapshots metricSnapshots(List<CacheSnapshot> snapshots) {
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
    return MetricSnapshots.of(metrics.toArray(MetricSnapshot[]::new));
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
        HistogramSnapshot.builder().name(DURATIONS).help(DURATIONS_HELP);
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
        HistogramDataPointSnapshot.Builder point =
            HistogramDataPointSnapshot.builder()
                .labels(Labels.of("cache", s.cacheName(), "operation", e.getKey()))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, counts))
                .sum(l.sumMs() / 1e3);
        ExponentialBuckets exponential = l.exponentialBuckets();
        if (exponential != null) {
          point
              .nativeSchema(exponential.schema())
              .nativeZeroCount(0)
              .nativeBucketsForPositiveValues(nativeBuckets(exponential));
        }
        durations.dataPoint(point.build());
      }
    }
    return durations.build();
  }

  /** The non-empty buckets, as the protobuf exposition's spans want them. */
  private static NativeHistogramBuckets nativeBuckets(ExponentialBuckets exponential) {
    int nonEmpty = 0;
    for (int i = 0; i < exponential.size(); i++) {
      nonEmpty += exponential.count(i) > 0 ? 1 : 0;
    }
    int[] indexes = new int[nonEmpty];
    long[] kept = new long[nonEmpty];
    int j = 0;
    for (int i = 0; i < exponential.size(); i++) {
      if (exponential.count(i) > 0) {
        indexes[j] = exponential.offset() + i;
        kept[j++] = exponential.count(i);
      }
    }
    return NativeHistogramBuckets.of(indexes, kept);
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
