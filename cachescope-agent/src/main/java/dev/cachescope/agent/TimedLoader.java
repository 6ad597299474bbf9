package dev.cachescope.agent;

import dev.cachescope.CacheMonitor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The function of one Caffeine {@code get(key, function)} call on a cache met from below: runs the
 * application's function, records the load with its time, and remembers that it ran, so the call's
 * end can tell a miss from a hit.
 */
final class TimedLoader implements Function<Object, Object> {
  private final CacheMonitor monitor;
  private final Function<Object, Object> function;
  private volatile boolean ran;

  TimedLoader(CacheMonitor monitor, Function<Object, Object> function) {
    this.monitor = monitor;
    this.function = function;
  }

  @Override
  public @Nullable Object apply(Object key) {
    ran = true;
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

  CacheMonitor monitor() {
    return monitor;
  }

  boolean ran() {
    return ran;
  }
}
