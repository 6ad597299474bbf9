package dev.cachescope;

import dev.cachescope.internal.LatencyHistograms;
import dev.cachescope.internal.OperationHistory;
import dev.cachescope.internal.OperationRecord;
import dev.cachescope.internal.RecordSink;
import dev.cachescope.internal.WindowSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The one way a monitor's records reach its readers: take the drain lock, move every staged record
 * into the history, the latency histograms and the insights (and the sizing feed's into its
 * estimators), roll the windows when a sample is due, run the reader's work on that state, release
 * the lock, and only then hand the drained operations to the aggregator's listeners (user code
 * never runs under the lock). The recording methods never take this lock.
 */
final class RecordDrain {
  /** The windows a snapshot reports, shortest first; the series covers the longest. */
  static final Duration[] WINDOWS = {
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)
  };

  /** What a reader does with the drained state; runs under the drain lock. */
  @FunctionalInterface
  interface LockedRead<T> {
    T read(MonitorCounters.Reading counts);
  }

  private final CacheMonitor monitor;
  private final StagingRings rings;
  private final MonitorCounters counters;
  private final OperationHistory history;
  private final LatencyHistograms latencies;
  private final WindowSeries windows;
  private final InsightFeed insights;
  private final @Nullable SizingFeed sizing;
  private final RecordDecoder decoder;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile @Nullable MetricsAggregator owner;

  RecordDrain(
      CacheMonitor monitor,
      StagingRings rings,
      MonitorCounters counters,
      OperationHistory history,
      LatencyHistograms latencies,
      WindowSeries windows,
      InsightFeed insights,
      @Nullable SizingFeed sizing,
      RecordDecoder decoder) {
    this.monitor = monitor;
    this.rings = rings;
    this.counters = counters;
    this.history = history;
    this.latencies = latencies;
    this.windows = windows;
    this.insights = insights;
    this.sizing = sizing;
    this.decoder = decoder;
  }

  /** Drains, rolls the windows as of {@code now}, and runs {@code body} under the drain lock. */
  <T> T drain(long now, LockedRead<T> body) {
    List<CacheOperation> drained;
    T result;
    lock.lock();
    try {
      drained = drainLocked();
      MonitorCounters.Reading counts = counters.read();
      roll(now, counts);
      result = body.read(counts);
    } finally {
      lock.unlock();
    }
    MetricsAggregator o = owner;
    if (!drained.isEmpty() && o != null) {
      o.dispatch(monitor, drained);
    }
    return result;
  }

  /** Drains and rolls the windows as of {@code now}, for the publisher. */
  void drain(long now) {
    drain(now, counts -> Boolean.TRUE);
  }

  void attach(MetricsAggregator aggregator) {
    MetricsAggregator current = owner;
    if (current != null && current != aggregator) {
      throw new IllegalStateException(
          "cache monitor '" + monitor.name() + "' is already registered with another aggregator");
    }
    owner = aggregator;
  }

  void detach(MetricsAggregator aggregator) {
    if (owner == aggregator) {
      owner = null;
    }
  }

  private List<CacheOperation> drainLocked() {
    MetricsAggregator o = owner;
    boolean collect = o != null && o.hasListeners();
    List<CacheOperation> drained = collect ? new ArrayList<>() : List.of();
    RecordSink sink =
        (end, duration, bits, keyHash, size, key) -> {
          if (OperationRecord.operation(bits) == Operation.GET) {
            insights.lookup(duration, bits, keyHash, key);
          }
          history.accept(end, duration, bits, keyHash, size, key);
          if (duration >= 0) {
            latencies.record(
                OperationRecord.operation(bits), duration, OperationRecord.weight(bits));
          }
          if (collect) {
            drained.add(decoder.operation(end, duration, bits, keyHash, size, key));
          }
        };
    rings.drainTo(sink);
    if (sizing != null) {
      sizing.drain();
    }
    return drained;
  }

  private void roll(long now, MonitorCounters.Reading counts) {
    if (windows.isDue(now)) {
      WindowSeries.Counts current = windowCounts(counts);
      double p99Nanos = latencies.takeIntervalLookupP99();
      windows.sample(
          now,
          current,
          p99Nanos,
          latencies.takeIntervalBuckets(Operation.GET),
          latencies.takeIntervalBuckets(Operation.LOAD));
      WindowSeries.Window minute = windows.window(WINDOWS[0].toNanos(), now, current);
      insights.windowSampled(minute.hits(), minute.misses(), p99Nanos);
    }
  }

  /** The counts the windows difference: lookups by result and all operations. */
  static WindowSeries.Counts windowCounts(MonitorCounters.Reading counts) {
    return new WindowSeries.Counts(counts.hits(), counts.misses(), counts.operations());
  }
}
