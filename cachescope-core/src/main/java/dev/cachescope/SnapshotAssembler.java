package dev.cachescope;

import dev.cachescope.insight.MemorySampler;
import dev.cachescope.internal.LatencyHistograms;
import dev.cachescope.internal.WindowSeries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds what a monitor's readers see, {@link CacheSnapshot}s and {@link SeriesPoint}s, from the
 * drained state: counters, latency histograms, windows and insights. Called under the drain lock
 * (see {@link RecordDrain}), with what was read of the cache before the lock was taken.
 */
final class SnapshotAssembler {
  private static final String[] WINDOW_NAMES = {"1m", "5m", "15m", "1h"};

  private final String name;
  private final LatencyHistograms latencies;
  private final WindowSeries windows;
  private final InsightFeed insights;
  private final @Nullable SizingFeed sizing;
  private final RecordDecoder decoder;

  SnapshotAssembler(
      String name,
      LatencyHistograms latencies,
      WindowSeries windows,
      InsightFeed insights,
      @Nullable SizingFeed sizing,
      RecordDecoder decoder) {
    this.name = name;
    this.latencies = latencies;
    this.windows = windows;
    this.insights = insights;
    this.sizing = sizing;
    this.decoder = decoder;
  }

  /**
   * The snapshot as of {@code now}.
   *
   * @param cache what the inspector said of the cache
   * @param measured the sampled memory estimate, used when the inspector gave no memory
   */
  CacheSnapshot snapshot(
      long now,
      MonitorCounters.Reading c,
      CacheBinding.Reading cache,
      MemorySampler.@Nullable Estimate measured,
      boolean enabled) {
    Map<String, LatencySummary> latency = new LinkedHashMap<>();
    double avgOperationMs = latencySummaries(c, latency);
    long hits = c.hits();
    long gets = c.gets();
    long memory = cache.memoryBytes();
    String memoryMethod = memory >= 0 ? "inspector" : "unknown";
    long memoryError = 0;
    if (memory < 0 && measured != null && measured.bytes() >= 0) {
      memory = measured.bytes();
      memoryError = measured.errorBytes();
      memoryMethod = measured.method();
    }
    boolean bounded = cache.capacity() >= 0;
    LatencySummary load = latency.get(Operation.LOAD.toString());
    return new CacheSnapshot(
        name,
        decoder.epochSeconds(now),
        cache.entries(),
        Math.max(memory, 0),
        gets == 0 ? 0.0 : (double) hits / gets,
        avgOperationMs,
        hits,
        c.misses(),
        c.evictions(),
        Collections.unmodifiableMap(new LinkedHashMap<>(cache.customMetrics())),
        gets,
        c.puts(),
        c.removals(),
        c.clears(),
        c.loadSuccesses(),
        c.loadFailures(),
        c.errors(),
        Collections.unmodifiableMap(latency),
        windowStats(now, c),
        Collections.unmodifiableMap(c.lookupsBySource()),
        Collections.unmodifiableMap(c.evictionsByCause()),
        memoryMethod,
        c.dropped(),
        c.faults(),
        enabled,
        memoryError,
        insights.timeSavedMs(hits, c.loads(), load == null ? Double.NaN : load.meanMs()),
        insights.tokensSaved(hits),
        insights.hotKeys(gets),
        sizing == null
            ? null
            : sizing.advice(
                bounded ? cache.capacity() : cache.entries(), bounded, cache.ttl(), gets),
        insights.trends());
  }

  /** The heatmap columns that end after {@code afterEpochSeconds}, oldest first. */
  List<HistogramPoint> histograms(double afterEpochSeconds) {
    List<HistogramPoint> points = new ArrayList<>();
    for (WindowSeries.Interval i : windows.points()) {
      double timestamp = decoder.epochSeconds(i.endNanos());
      if (timestamp > afterEpochSeconds) {
        points.add(
            new HistogramPoint(
                timestamp, i.seconds(), counts(i.lookupBuckets()), counts(i.loadBuckets())));
      }
    }
    return points;
  }

  private static @Nullable List<Integer> counts(int @Nullable [] buckets) {
    if (buckets == null) {
      return null;
    }
    List<Integer> counts = new ArrayList<>(buckets.length);
    for (int count : buckets) {
      counts.add(count);
    }
    return Collections.unmodifiableList(counts);
  }

  /** The series points that end after {@code afterEpochSeconds}, oldest first. */
  List<SeriesPoint> series(double afterEpochSeconds) {
    List<WindowSeries.Interval> intervals = windows.points();
    List<SeriesPoint> points = new ArrayList<>(intervals.size());
    for (WindowSeries.Interval i : intervals) {
      // Compared as the same doubles that are served, so a client passing a point's timestamp
      // back never gets that point again (nanoseconds do not survive the round trip).
      double timestamp = decoder.epochSeconds(i.endNanos());
      if (timestamp <= afterEpochSeconds) {
        continue;
      }
      long requests = i.hits() + i.misses();
      points.add(
          new SeriesPoint(
              timestamp,
              i.seconds(),
              requests,
              requests == 0 ? null : (double) i.hits() / requests,
              i.seconds() <= 0 ? 0.0 : i.operations() / i.seconds(),
              Double.isNaN(i.p99Nanos()) ? null : i.p99Nanos() / 1e6));
    }
    return points;
  }

  private Map<String, WindowStats> windowStats(long now, MonitorCounters.Reading c) {
    Map<String, WindowStats> stats = new LinkedHashMap<>();
    WindowSeries.Counts counts = RecordDrain.windowCounts(c);
    for (int w = 0; w < RecordDrain.WINDOWS.length; w++) {
      WindowSeries.Window window = windows.window(RecordDrain.WINDOWS[w].toNanos(), now, counts);
      long requests = window.hits() + window.misses();
      stats.put(
          WINDOW_NAMES[w],
          new WindowStats(
              window.seconds(),
              requests,
              requests == 0 ? null : (double) window.hits() / requests,
              window.seconds() <= 0 ? 0.0 : window.operations() / window.seconds()));
    }
    return Collections.unmodifiableMap(stats);
  }

  /** Fills {@code into} with each timed operation's percentiles; returns the weighted mean. */
  private double latencySummaries(MonitorCounters.Reading c, Map<String, LatencySummary> into) {
    double weightedSum = 0;
    long weight = 0;
    for (Operation operation : Operation.values()) {
      LatencyHistograms.Distribution d = latencies.summarize(operation, 50, 95, 99, 99.9);
      if (d == null) {
        continue;
      }
      double[] p = d.percentileNanos();
      List<Long> buckets = new ArrayList<>(d.bucketCounts().length);
      for (long count : d.bucketCounts()) {
        buckets.add(count);
      }
      into.put(
          operation.toString(),
          new LatencySummary(
              d.count(),
              d.meanNanos() / 1e6,
              p[0] / 1e6,
              p[1] / 1e6,
              p[2] / 1e6,
              p[3] / 1e6,
              d.maxNanos() / 1e6,
              d.sumNanos() / 1e6,
              buckets,
              exponentialBuckets(d)));
      long exact = c.of(operation);
      weightedSum += d.meanNanos() / 1e6 * exact;
      weight += exact;
    }
    return weight == 0 ? 0.0 : weightedSum / weight;
  }

  private static ExponentialBuckets exponentialBuckets(LatencyHistograms.Distribution d) {
    return new ExponentialBuckets(
        ExponentialBuckets.SCHEMA, d.exponentialOffset(), d.exponentialCounts());
  }
}
