package dev.cachescope.instrument;

import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Source;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A supplier that computes its value once and then returns it: the design's ServiceContainer
 * ({@code @lru_cache(maxsize=1)}), monitored. Obtain one from {@link Memoized#supplier}.
 *
 * <p>The first {@link #get()} (and the first after {@link #reset()}) is a miss and a timed load;
 * concurrent first callers wait for one computation. Every later call is a hit. If the computation
 * throws, nothing is cached, the load is a failure and the exception reaches the caller. Custom
 * metrics: {@code initialization_count}, {@code last_initialization_ms} and {@code maxsize} (1).
 * Thread-safe.
 */
public final class MemoizedSupplier<T> implements Supplier<T> {
  private final Supplier<? extends T> supplier;
  private @Nullable CacheMonitor monitor;
  private volatile @Nullable T value;
  private long initializations;
  private double lastInitializationMs;

  MemoizedSupplier(Supplier<? extends T> supplier) {
    this.supplier = supplier;
  }

  void monitorWith(CacheMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public T get() {
    CacheMonitor m = monitor();
    long start = m.startLookup();
    T current = value;
    if (current != null) {
      m.recordHit(start, Source.MEMORY, null);
      return current;
    }
    synchronized (this) {
      current = value;
      if (current != null) {
        m.recordHit(start, Source.MEMORY, null);
        return current;
      }
      m.recordMiss(start, Source.FRESH, null);
      long loadStart = System.nanoTime();
      long timed = m.startTimed();
      try {
        current = supplier.get();
      } catch (RuntimeException | Error e) {
        m.recordLoad(timed, false, null);
        throw e;
      }
      if (current == null) {
        m.recordLoad(timed, false, null);
        throw new NullPointerException("the memoized supplier of '" + m.name() + "' returned null");
      }
      m.recordLoad(timed, true, null);
      initializations++;
      lastInitializationMs = (System.nanoTime() - loadStart) / 1e6;
      value = current;
      return current;
    }
  }

  /** Forgets the value, so the next {@link #get()} computes it again (the design's cache_clear). */
  public void reset() {
    CacheMonitor m = monitor();
    long start = m.startTimed();
    synchronized (this) {
      value = null;
    }
    m.recordClear(start);
  }

  /** Whether a value is held now. */
  public boolean isInitialized() {
    return value != null;
  }

  private CacheMonitor monitor() {
    CacheMonitor m = monitor;
    if (m == null) {
      throw new IllegalStateException("not bound to a monitor; create it with Memoized.supplier");
    }
    return m;
  }

  synchronized Map<String, Object> customMetrics() {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("maxsize", 1);
    metrics.put("initialization_count", initializations);
    metrics.put("last_initialization_ms", lastInitializationMs);
    return metrics;
  }

  /** Reads a memoized supplier for snapshots. */
  static final class Inspector implements CacheInspector<MemoizedSupplier<?>> {
    static final Inspector INSTANCE = new Inspector();

    @Override
    public long entries(MemoizedSupplier<?> cache) {
      return cache.isInitialized() ? 1 : 0;
    }

    @Override
    public Map<String, Object> customMetrics(MemoizedSupplier<?> cache) {
      return cache.customMetrics();
    }
  }
}
