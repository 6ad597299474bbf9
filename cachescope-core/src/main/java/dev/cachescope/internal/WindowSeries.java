package dev.cachescope.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Cumulative counter samples taken at a fixed resolution, kept for one hour, from which the
 * windowed rates (last 1 m, 5 m, 15 m, 1 h) are computed as differences, and the time series the
 * dashboard charts is read ({@link #points}). Each sample also carries the p99 lookup time of the
 * interval it closes and its lookup and load times over the fixed latency buckets (the heatmaps),
 * which cumulative counts cannot give. Those arrays exist only for intervals in which lookups or
 * loads were timed: at most 2 × 26 ints a sample, about 170 KB an hour for a busy cache.
 *
 * <p>A window that reaches further back than the oldest sample is measured over the time that is
 * covered and says so ({@link Window#seconds()}): a monitor started 30 s ago reports its "5m"
 * window over 30 s.
 *
 * <p>Not thread-safe: the owning monitor uses it under its drain lock.
 */
public final class WindowSeries {
  /** The counts a window is computed from, cumulative since the monitor started. */
  public record Counts(long hits, long misses, long operations) {}

  /**
   * One window's result.
   *
   * @param seconds the time the window actually covers
   * @param hits hits within it
   * @param misses misses within it
   * @param operations operations of every kind within it
   */
  public record Window(double seconds, long hits, long misses, long operations) {}

  /**
   * The activity between two consecutive samples.
   *
   * @param endNanos ticker time of the later sample
   * @param seconds time between the two samples
   * @param hits hits between them
   * @param misses misses between them
   * @param operations operations of every kind between them
   * @param p99Nanos p99 lookup time of the interval, or NaN if no lookup was timed in it
   * @param lookupBuckets the interval's lookup times over the fixed latency buckets, null if none
   *     was timed
   * @param loadBuckets the interval's load times over the fixed buckets, null if none was timed
   */
  public record Interval(
      long endNanos,
      double seconds,
      long hits,
      long misses,
      long operations,
      double p99Nanos,
      int @Nullable [] lookupBuckets,
      int @Nullable [] loadBuckets) {}

  private final long resolutionNanos;
  private final long[] times;
  private final long[] hits;
  private final long[] misses;
  private final long[] operations;
  private final double[] p99Nanos;
  private final int[] @Nullable [] lookupBuckets;
  private final int[] @Nullable [] loadBuckets;
  private long samples;
  private final long startNanos;

  /**
   * @param resolutionNanos time between samples
   * @param horizonNanos how far back to keep samples
   * @param startNanos when counting began (all counts were zero then)
   */
  public WindowSeries(long resolutionNanos, long horizonNanos, long startNanos) {
    if (resolutionNanos <= 0) {
      throw new IllegalArgumentException("resolution must be positive, was " + resolutionNanos);
    }
    this.resolutionNanos = resolutionNanos;
    this.startNanos = startNanos;
    int capacity = (int) Math.min(100_000, horizonNanos / resolutionNanos + 2);
    times = new long[capacity];
    hits = new long[capacity];
    misses = new long[capacity];
    operations = new long[capacity];
    p99Nanos = new double[capacity];
    lookupBuckets = new int[capacity][];
    loadBuckets = new int[capacity][];
  }

  /** Whether a sample is due: none was taken in the last resolution interval, or none yet. */
  public boolean isDue(long now) {
    return samples == 0 || now - times[newest()] >= resolutionNanos;
  }

  /**
   * Takes a sample at {@code now}, overwriting the oldest once an hour is kept.
   *
   * @param intervalP99Nanos the p99 lookup time since the previous sample, NaN if none was timed
   * @param intervalLookupBuckets lookup times since the previous sample over the fixed buckets,
   *     null if none was timed; kept, not copied
   * @param intervalLoadBuckets the same for loads
   */
  public void sample(
      long now,
      Counts counts,
      double intervalP99Nanos,
      int @Nullable [] intervalLookupBuckets,
      int @Nullable [] intervalLoadBuckets) {
    int slot = (int) (samples % times.length);
    times[slot] = now;
    hits[slot] = counts.hits();
    misses[slot] = counts.misses();
    operations[slot] = counts.operations();
    p99Nanos[slot] = intervalP99Nanos;
    lookupBuckets[slot] = intervalLookupBuckets;
    loadBuckets[slot] = intervalLoadBuckets;
    samples++;
  }

  /** The intervals between consecutive kept samples, oldest first. */
  public List<Interval> points() {
    long kept = Math.min(samples, times.length);
    List<Interval> points = new ArrayList<>();
    for (long i = samples - kept + 1; i < samples; i++) {
      int slot = (int) (i % times.length);
      int previous = (int) ((i - 1) % times.length);
      points.add(
          new Interval(
              times[slot],
              (times[slot] - times[previous]) / 1e9,
              hits[slot] - hits[previous],
              misses[slot] - misses[previous],
              operations[slot] - operations[previous],
              p99Nanos[slot],
              lookupBuckets[slot],
              loadBuckets[slot]));
    }
    return points;
  }

  /**
   * The window of length {@code windowNanos} that ends {@code now} with counts {@code current}:
   * measured from the newest sample at least {@code windowNanos} old, or from the oldest sample
   * when none is that old.
   */
  public Window window(long windowNanos, long now, Counts current) {
    long kept = Math.min(samples, times.length);
    int from = -1;
    for (long i = samples - 1; i >= samples - kept; i--) {
      int slot = (int) (i % times.length);
      if (now - times[slot] >= windowNanos) {
        from = slot;
        break;
      }
    }
    if (from < 0 && samples <= times.length) {
      // No sample is old enough and none was forgotten: count from the start, when all was zero.
      return new Window(
          (now - startNanos) / 1e9, current.hits(), current.misses(), current.operations());
    }
    if (from < 0) {
      from = (int) ((samples - kept) % times.length);
    }
    return new Window(
        (now - times[from]) / 1e9,
        current.hits() - hits[from],
        current.misses() - misses[from],
        current.operations() - operations[from]);
  }

  private int newest() {
    return (int) ((samples - 1) % times.length);
  }
}
