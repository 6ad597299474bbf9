package dev.cachescope.agent;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Source;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The loader of one lookup call on a cache met from below (Caffeine's {@code get(key, function)} or
 * {@code LoadingCache.get(key)}, Guava's {@code get(key, callable)}): when the cache runs it (a
 * miss), it records the miss, runs the application's loader and records the load with its time; the
 * call's end records a hit when it did not run.
 */
final class TimedLoader implements Function<Object, Object>, Callable<Object> {
  private final CacheMonitor monitor;
  private final Object cache;
  private final @Nullable Object key;
  private final Object loader;
  private volatile boolean ran;

  /**
   * @param loader the application's {@code Function} (Caffeine) or {@code Callable} (Guava)
   */
  TimedLoader(CacheMonitor monitor, Object cache, @Nullable Object key, Object loader) {
    this.monitor = monitor;
    this.cache = cache;
    this.key = key;
    this.loader = loader;
  }

  @Override
  public @Nullable Object call() throws Exception {
    return load(key);
  }

  @Override
  public @Nullable Object apply(Object key) {
    try {
      return load(key);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // a Function's loader throws no checked exception
    }
  }

  @SuppressWarnings("unchecked")
  private @Nullable Object load(@Nullable Object key) throws Exception {
    ran = true;
    try {
      monitor.recordMiss(CacheMonitor.NOT_TIMED, null, key);
    } catch (RuntimeException e) {
      // Monitoring never reaches the application's call.
    }
    long start = System.nanoTime();
    boolean success = false;
    try {
      Object value =
          loader instanceof Callable<?> callable
              ? callable.call()
              : ((Function<Object, Object>) loader).apply(key);
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
