package dev.cachescope.instrument;

import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A supplier that computes its value once and then returns it: the seed design's ServiceContainer
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
  private volatile @Nullable CacheRecorder recorder;
  private volatile @Nullable T value;
  private long initializations;
  private double lastInitializationMs;

  MemoizedSupplier(Supplier<? extends T> supplier) {
    this.supplier = supplier;
  }

  void monitorWith(CacheMonitor monitor) {
    this.recorder = CacheRecorder.of(monitor);
  }

  @Override
  public T get() {
    CacheRecorder r = recorder();
    long start = r.startLookup();
    T current = value;
    if (current != null) {
      r.lookup(start, null, /* hit= */ true, /* willLoad= */ true);
      return current;
    }
    synchronized (this) {
      current = value;
      r.lookup(start, null, current != null, /* willLoad= */ true);
      if (current != null) {
        return current;
      }
      long loadStart = System.nanoTime();
      current = r.load(null, supplier::get);
      if (current == null) {
        throw new NullPointerException(
            "the memoized supplier of '" + r.monitor().name() + "' returned null");
      }
      initializations++;
      lastInitializationMs = (System.nanoTime() - loadStart) / 1e6;
      value = current;
      return current;
    }
  }

  /**
   * Forgets the value, so the next {@link #get()} computes it again (the seed design's {@code
   * cache_clear}).
   */
  public void reset() {
    recorder()
        .write(
            Operation.CLEAR,
            null,
            () -> {
              synchronized (this) {
                value = null;
              }
            });
  }

  /** Whether a value is held now. */
  public boolean isInitialized() {
    return value != null;
  }

  private CacheRecorder recorder() {
    CacheRecorder r = recorder;
    if (r == null) {
      throw new IllegalStateException("not bound to a monitor; create it with Memoized.supplier");
    }
    return r;
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
