package dev.cachescope;

import dev.cachescope.insight.MemorySampler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Measures the memory of a cache's entries by sampling them (JOL deep sizes), for caches whose
 * inspector cannot say: at most once per interval, sooner when the cache has more than doubled, on
 * one thread at a time, off the hot path (the publisher thread, or the first snapshot).
 */
final class MemoryProbe {
  private static final int SAMPLE = 64;

  private final long intervalNanos;
  private final Supplier<@Nullable CacheBinding<?>> binding;
  private final Consumer<Throwable> faults;
  private final AtomicBoolean measuring = new AtomicBoolean();
  private volatile MemorySampler.@Nullable Estimate estimate;
  private volatile long measuredAt;
  private volatile long measuredEntries;
  private volatile boolean tried;

  /**
   * @param intervalNanos how often to measure; 0 or less never measures
   * @param binding the monitor's current binding, read at each measurement
   * @param faults where an inspector that throws is reported
   */
  MemoryProbe(
      long intervalNanos, Supplier<@Nullable CacheBinding<?>> binding, Consumer<Throwable> faults) {
    this.intervalNanos = intervalNanos;
    this.binding = binding;
    this.faults = faults;
  }

  /** Measures now if a measurement is due (see the class comment). */
  void measureIfDue(long now) {
    if (isDue(now)) {
      measure(now);
    }
  }

  /** The latest estimate, or null before any sample could be measured. */
  MemorySampler.@Nullable Estimate estimate() {
    return estimate;
  }

  private boolean isDue(long now) {
    if (intervalNanos <= 0) {
      return false;
    }
    if (!tried || now - measuredAt >= intervalNanos) {
      return true;
    }
    CacheBinding<?> b = binding.get();
    try {
      return b != null && b.entries() > 2 * measuredEntries + 16;
    } catch (Throwable t) {
      faults.accept(t);
      return false;
    }
  }

  private void measure(long now) {
    CacheBinding<?> b = binding.get();
    if (b == null || !measuring.compareAndSet(false, true)) {
      return;
    }
    try {
      long entries = b.entries();
      List<? extends Map.Entry<?, ?>> sample = b.sampleEntries(SAMPLE);
      if (!sample.isEmpty()) {
        estimate = MemorySampler.estimate(sample, entries);
      }
      measuredEntries = entries;
      measuredAt = now;
      tried = true;
    } catch (Throwable t) {
      faults.accept(t);
    } finally {
      measuring.set(false);
    }
  }
}
