package dev.cachescope.spring;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.Result;
import dev.cachescope.Source;
import dev.cachescope.instrument.CacheRecorder;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;

/**
 * A Spring {@link Cache} that records every call to its delegate.
 *
 * <ul>
 *   <li>{@code get(key)}, {@code get(key, type)} and {@code retrieve(key)}: a hit when a value (or
 *       a stored null) is found, else a miss. {@code get(key, type)} cannot tell a stored null from
 *       no entry and counts both as misses.
 *   <li>{@code get(key, loader)} and {@code retrieve(key, loader)}: a hit, or a miss followed by a
 *       timed load (success or failure) when the loader runs.
 *   <li>{@code put}: a put; and, when the same thread's last lookup on this cache was a miss for an
 *       equal key, also a load whose time runs from that miss to this put. That is how a
 *       {@code @Cacheable} method without {@code sync} runs (miss, call the method, put), so the
 *       method's time counts as the load time.
 *   <li>{@code putIfAbsent}: a put when it wrote, a hit when a value was there.
 *   <li>{@code evictIfPresent}: a removal when it removed an entry. {@code evict}: a removal per
 *       call, since it does not say whether an entry was there (it may defer the removal). {@code
 *       clear}, {@code invalidate}: a clear. In a transaction-aware cache, writes, removals and
 *       clears count when called, not when the transaction commits.
 *   <li>An exception from the delegate is recorded as an error and rethrown unchanged.
 * </ul>
 *
 * Thread-safe as far as the delegate is; monitoring itself never throws to the caller.
 */
final class MonitoredSpringCache implements Cache {
  private final Cache delegate;
  private final CacheMonitor monitor;
  private final CacheRecorder recorder;
  private final OperationTracer tracer;
  private final ThreadLocal<@Nullable PendingLoad> pending = new ThreadLocal<>();

  MonitoredSpringCache(
      Cache delegate, CacheMonitor monitor, @Nullable Source source, OperationTracer tracer) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.recorder = CacheRecorder.of(monitor, source);
    this.tracer = tracer;
  }

  /** The cache this one records calls to. */
  Cache delegate() {
    return delegate;
  }

  /** The monitor that records them. */
  CacheMonitor monitor() {
    return monitor;
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public Object getNativeCache() {
    return delegate.getNativeCache();
  }

  @Override
  public @Nullable ValueWrapper get(Object key) {
    Object trace = tracer.start();
    long start = monitor.startLookup();
    ValueWrapper value;
    try {
      value = delegate.get(key);
    } catch (RuntimeException e) {
      error(Operation.GET, start, key, trace);
      throw e;
    }
    lookedUp(value != null, start, key, trace);
    return value;
  }

  @Override
  public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
    Object trace = tracer.start();
    long start = monitor.startLookup();
    T value;
    try {
      value = delegate.get(key, type);
    } catch (RuntimeException e) {
      error(Operation.GET, start, key, trace);
      throw e;
    }
    lookedUp(value != null, start, key, trace);
    return value;
  }

  @Override
  public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
    Object trace = tracer.start();
    long start = monitor.startLookup();
    TimedLoader<T> loader = new TimedLoader<>(key, start, valueLoader);
    T value;
    try {
      value = delegate.get(key, loader);
    } catch (RuntimeException e) {
      if (!loader.called) {
        error(Operation.GET, start, key, trace);
      } else {
        finish(trace, Operation.LOAD, Result.FAILURE);
      }
      throw e;
    }
    if (loader.called) {
      finish(trace, Operation.LOAD, Result.SUCCESS);
    } else {
      recorder.lookup(start, key, /* hit= */ true, /* willLoad= */ true);
      finish(trace, Operation.GET, Result.HIT);
    }
    return value;
  }

  @Override
  public @Nullable CompletableFuture<?> retrieve(Object key) {
    Object trace = tracer.start();
    long start = monitor.startLookup();
    CompletableFuture<?> future;
    try {
      future = delegate.retrieve(key);
    } catch (RuntimeException e) {
      error(Operation.GET, start, key, trace);
      throw e;
    }
    if (future == null) {
      lookedUp(false, start, key, trace);
    } else {
      future.whenComplete(
          (value, failure) -> {
            if (failure != null) {
              error(Operation.GET, start, key, trace);
            } else {
              lookedUp(value != null, start, key, trace);
            }
          });
    }
    return future;
  }

  @Override
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    Object trace = tracer.start();
    long start = monitor.startLookup();
    boolean[] called = new boolean[1];
    Supplier<CompletableFuture<T>> loader =
        () -> {
          called[0] = true;
          recorder.missThenLoad(start, key);
          long loadStart = recorder.startLoad();
          CompletableFuture<T> loading = valueLoader.get();
          loading.whenComplete(
              (value, failure) -> {
                recorder.loaded(loadStart, failure == null, key);
                if (trace != null) {
                  finish(trace, Operation.LOAD, failure == null ? Result.SUCCESS : Result.FAILURE);
                }
              });
          return loading;
        };
    CompletableFuture<T> future;
    try {
      future = delegate.retrieve(key, loader);
    } catch (RuntimeException e) {
      error(Operation.GET, start, key, trace);
      throw e;
    }
    if (!called[0]) {
      recorder.lookup(start, key, /* hit= */ true, /* willLoad= */ true);
      finish(trace, Operation.GET, Result.HIT);
    }
    return future;
  }

  @Override
  public void put(Object key, @Nullable Object value) {
    Object trace = tracer.start();
    long start = monitor.startTimed();
    try {
      delegate.put(key, value);
    } catch (RuntimeException e) {
      error(Operation.SET, start, key, trace);
      throw e;
    }
    loaded(key);
    monitor.recordPut(start, key, -1);
    finish(trace, Operation.SET, Result.STORE);
  }

  @Override
  public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
    Object trace = tracer.start();
    long start = monitor.startTimed();
    ValueWrapper existing;
    try {
      existing = delegate.putIfAbsent(key, value);
    } catch (RuntimeException e) {
      error(Operation.SET, start, key, trace);
      throw e;
    }
    if (existing == null) {
      loaded(key);
      monitor.recordPut(start, key, -1);
      finish(trace, Operation.SET, Result.STORE);
    } else {
      recorder.lookup(start, key, /* hit= */ true, /* willLoad= */ false);
      finish(trace, Operation.GET, Result.HIT);
    }
    return existing;
  }

  @Override
  public void evict(Object key) {
    Object trace = tracer.start();
    long start = monitor.startTimed();
    try {
      delegate.evict(key);
    } catch (RuntimeException e) {
      error(Operation.DELETE, start, key, trace);
      throw e;
    }
    monitor.recordRemoval(start, key);
    finish(trace, Operation.DELETE, Result.REMOVE);
  }

  @Override
  public boolean evictIfPresent(Object key) {
    Object trace = tracer.start();
    long start = monitor.startTimed();
    boolean removed;
    try {
      removed = delegate.evictIfPresent(key);
    } catch (RuntimeException e) {
      error(Operation.DELETE, start, key, trace);
      throw e;
    }
    if (removed) {
      monitor.recordRemoval(start, key);
      finish(trace, Operation.DELETE, Result.REMOVE);
    }
    return removed;
  }

  @Override
  public void clear() {
    Object trace = tracer.start();
    long start = monitor.startTimed();
    try {
      delegate.clear();
    } catch (RuntimeException e) {
      error(Operation.CLEAR, start, null, trace);
      throw e;
    }
    monitor.recordClear(start);
    finish(trace, Operation.CLEAR, Result.CLEAR);
  }

  @Override
  public boolean invalidate() {
    Object trace = tracer.start();
    long start = monitor.startTimed();
    boolean hadEntries;
    try {
      hadEntries = delegate.invalidate();
    } catch (RuntimeException e) {
      error(Operation.CLEAR, start, null, trace);
      throw e;
    }
    monitor.recordClear(start);
    finish(trace, Operation.CLEAR, Result.CLEAR);
    return hadEntries;
  }

  @Override
  public String toString() {
    return "MonitoredSpringCache[" + delegate + "]";
  }

  private void lookedUp(boolean hit, long start, Object key, @Nullable Object trace) {
    recorder.lookup(start, key, hit, /* willLoad= */ false);
    if (hit) {
      if (pending.get() != null) {
        pending.remove(); // a put after this hit is not the load of an earlier miss
      }
      finish(trace, Operation.GET, Result.HIT);
    } else {
      pending.set(new PendingLoad(key, recorder.startLoad()));
      finish(trace, Operation.GET, Result.MISS);
    }
  }

  /** A put for the key this thread last missed ends that miss's load. */
  private void loaded(Object key) {
    PendingLoad load = pending.get();
    if (load != null) {
      pending.remove();
      if (Objects.equals(load.key, key)) {
        recorder.loaded(load.start, true, key);
      }
    }
  }

  private void error(
      Operation operation, long start, @Nullable Object key, @Nullable Object trace) {
    monitor.recordError(operation, start, key);
    finish(trace, operation, Result.ERROR);
  }

  private void finish(@Nullable Object trace, Operation operation, Result result) {
    if (trace != null) {
      tracer.finish(trace, delegate.getName(), operation, result);
    }
  }

  /** A miss whose load may end with a put of the same key on the same thread. */
  private record PendingLoad(Object key, long start) {}

  /** Runs the caller's loader as a miss and a timed load. */
  private final class TimedLoader<T> implements Callable<T> {
    private final Object key;
    private final long lookupStart;
    private final Callable<T> loader;
    private volatile boolean called;

    TimedLoader(Object key, long lookupStart, Callable<T> loader) {
      this.key = key;
      this.lookupStart = lookupStart;
      this.loader = loader;
    }

    @Override
    public T call() throws Exception {
      called = true;
      recorder.missThenLoad(lookupStart, key);
      return recorder.load(key, loader::call);
    }
  }
}
