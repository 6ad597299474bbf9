package dev.cachescope.agent;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Source;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The function of one Caffeine {@code get(key, function)} or {@code LoadingCache.get(key)} call on
 * a cache met from below: when Caffeine runs it (a miss), it records the miss, runs the
 * application's function and records the load with its time; the call's end records a hit when it
 * did not run.
 */
final class TimedLoader implements Function<Object, Object> {
  private final CacheMonitor monitor;
  private final Object cache;
  private final Function<Object, Object> function;
  private volatile boolean ran;

  TimedLoader(CacheMonitor monitor, Object cache, Function<Object, Object> function) {
    this.monitor = monitor;
    this.cache = cache;
    this.function = function;
  }

  @Override
  public @Nullable Object apply(Object key) {
    ran = true;
    try {
      monitor.recordMiss(CacheMonitor.NOT_TIMED, null, key);
    } catch (RuntimeException e) {
      // Monitoring never reaches the application's call.
    }
    long start = System.nanoTime();
    boolean success = false;
    try {
      Object value = function.apply(key);
      success = value != null;
      return value;
    } finally {
      try {
        monitor.recordLoadTime(System.nanoTime() - start, success, key);
      } catch (RuntimeException e) {
        // Monitoring never reaches the application's call.
      }
    }
  }

  /** At the call's end: a hit if the function did not run (the miss was recorded when it did). */
  @SuppressWarnings("ReferenceEquality") // the same cache object, not an equal one
  void finish(Object cache, @Nullable Object key) {
    if (!ran && cache == this.cache) {
      monitor.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, key);
    }
  }
}
