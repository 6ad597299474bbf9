package dev.cachescope.instrument;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.Source;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How every adapter records what its cache did, so that the same situation is recorded the same way
 * whichever library the cache comes from. For adapter authors; applications use the {@code
 * …Monitoring} factories.
 *
 * <h2>The rules</h2>
 *
 * <ol>
 *   <li><b>Lookups.</b> A hit's source is the recorder's hit source ({@link Source#MEMORY} unless
 *       the cache is remote, say), or what the adapter learned for that hit ({@link #hit(long,
 *       Source, Object)}, a disk tier for example). A miss's source is {@link Source#FRESH} when
 *       the call goes on to load the value (a loader or mapping function was given), and
 *       unspecified when it only probes ({@code getIfPresent}).
 *   <li><b>Bulk lookups</b> record one hit or miss per distinct key, all with one start time.
 *   <li><b>Loads</b> are timed from the monitor's ticker: a load that returns null or throws is a
 *       failed load; what it throws reaches the caller unchanged.
 *   <li><b>Writes</b> ({@link #write}) are timed; the put, removal or clear is recorded when the
 *       cache's answer says it happened (a {@code putIfAbsent} that stored, a {@code remove} that
 *       found the key); a write that throws is recorded as an error of that operation and the
 *       exception is rethrown unchanged.
 * </ol>
 *
 * <p>Every method is thread-safe and, like {@link CacheMonitor}'s, never throws on its own account;
 * lookups allocate nothing.
 */
public final class CacheRecorder {
  /** A step of the cache's own work that may throw what the cache throws. */
  @FunctionalInterface
  public interface Call<T extends @Nullable Object, X extends Throwable> {
    /** Runs the step. */
    T call() throws X;
  }

  /** A step of the cache's own work that returns nothing and may throw what the cache throws. */
  @FunctionalInterface
  public interface Action<X extends Throwable> {
    /** Runs the step. */
    void run() throws X;
  }

  private final CacheMonitor monitor;
  private final @Nullable Source hitSource;

  private CacheRecorder(CacheMonitor monitor, @Nullable Source hitSource) {
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    this.hitSource = hitSource;
  }

  /** A recorder for a cache in this JVM's memory: hits come from {@link Source#MEMORY}. */
  public static CacheRecorder of(CacheMonitor monitor) {
    return new CacheRecorder(monitor, Source.MEMORY);
  }

  /**
   * A recorder whose hits come from {@code hitSource} ({@link Source#REMOTE} for Redis, say), or
   * are unspecified when it is null (a cache the adapter knows nothing of).
   */
  public static CacheRecorder of(CacheMonitor monitor, @Nullable Source hitSource) {
    return new CacheRecorder(monitor, hitSource);
  }

  /** The monitor this records to. */
  public CacheMonitor monitor() {
    return monitor;
  }

  /** Call before a lookup; pass the result to {@link #lookup} or {@link #bulkLookup}. */
  public long startLookup() {
    return monitor.startLookup();
  }

  /**
   * One lookup's outcome.
   *
   * @param willLoad whether a miss goes on to load the value in this call (rule 1)
   */
  public void lookup(long start, @Nullable Object key, boolean hit, boolean willLoad) {
    if (hit) {
      monitor.recordHit(start, hitSource, key);
    } else {
      monitor.recordMiss(start, willLoad ? Source.FRESH : null, key);
    }
  }

  /** A hit whose source the adapter learned for this lookup. */
  public void hit(long start, Source source, @Nullable Object key) {
    monitor.recordHit(start, source, key);
  }

  /** A miss that loads the value in this call, when the adapter learns it only afterwards. */
  public void missThenLoad(long start, @Nullable Object key) {
    monitor.recordMiss(start, Source.FRESH, key);
  }

  /**
   * One hit or miss per distinct key of a bulk lookup: a hit for each key in {@code present}.
   *
   * @return whether any key missed
   */
  public boolean bulkLookup(long start, Iterable<?> keys, Map<?, ?> present, boolean willLoad) {
    Set<Object> distinct = new LinkedHashSet<>();
    keys.forEach(distinct::add);
    boolean missed = false;
    for (Object key : distinct) {
      boolean hit = present.containsKey(key);
      lookup(start, key, hit, willLoad);
      missed |= !hit;
    }
    return missed;
  }

  /** Call before a load whose outcome the adapter reports with {@link #loaded}. */
  public long startLoad() {
    return monitor.startTimed();
  }

  /** A load started with {@link #startLoad} ended: it produced a value, or it did not. */
  public void loaded(long start, boolean success, @Nullable Object key) {
    monitor.recordLoad(start, success, key);
  }

  /** Runs {@code load} as one timed load of {@code key} (rule 3) and returns what it returned. */
  public <T extends @Nullable Object, X extends Throwable> T load(
      @Nullable Object key, Call<T, X> load) throws X {
    long start = monitor.startTimed();
    T value;
    try {
      value = load.call();
    } catch (Throwable t) {
      monitor.recordLoad(start, false, key);
      throw t;
    }
    monitor.recordLoad(start, value != null, key);
    return value;
  }

  /**
   * A mapping function that runs {@code function} as a timed load of its input, which is the key.
   * For {@code get(key, mappingFunction)} and {@code computeIfAbsent}.
   */
  public <K, V> TimedLoad<K, V> loadingKey(Function<? super K, ? extends V> function) {
    return new TimedLoad<>(function, true);
  }

  /**
   * A mapping function that runs {@code function} as one timed load of many keys (its input is the
   * set of missing keys, recorded without a key). For {@code getAll(keys, mappingFunction)}.
   */
  public <K, V> TimedLoad<K, V> loadingAll(Function<? super K, ? extends V> function) {
    return new TimedLoad<>(function, false);
  }

  /**
   * Runs one write, removal or clear (rule 4).
   *
   * @param operation {@link Operation#SET}, {@link Operation#DELETE} or {@link Operation#CLEAR}
   * @param happened whether the cache's answer says the write took place
   */
  public <T extends @Nullable Object, X extends Throwable> T write(
      Operation operation, @Nullable Object key, Call<T, X> write, Predicate<? super T> happened)
      throws X {
    long start = monitor.startTimed();
    T result;
    try {
      result = write.call();
    } catch (Throwable t) {
      monitor.recordError(operation, start, key);
      throw t;
    }
    if (happened.test(result)) {
      wrote(operation, start, key);
    }
    return result;
  }

  /** Runs a write that always takes place when it returns, such as {@code put} or {@code clear}. */
  public <X extends Throwable> void write(
      Operation operation, @Nullable Object key, Action<X> write) throws X {
    this.<@Nullable Void, X>write(
        operation,
        key,
        () -> {
          write.run();
          return null;
        },
        done -> true);
  }

  /** Records one put per key of a bulk write that took place, all with one start time. */
  public void wroteAll(long start, Iterable<?> keys) {
    for (Object key : keys) {
      monitor.recordPut(start, key, -1);
    }
  }

  /** Call before a bulk write whose keys go to {@link #wroteAll}. */
  public long startWrite() {
    return monitor.startTimed();
  }

  /** The cache itself threw while serving {@code operation}. */
  public void error(Operation operation, long start, @Nullable Object key) {
    monitor.recordError(operation, start, key);
  }

  private void wrote(Operation operation, long start, @Nullable Object key) {
    switch (operation) {
      case DELETE -> monitor.recordRemoval(start, key);
      case CLEAR -> monitor.recordClear(start);
      default -> monitor.recordPut(start, key, -1);
    }
  }

  /**
   * A mapping function that the cache calls to load: timed, a failure when it returns null or
   * throws, and it remembers whether the cache called it. Not thread-safe: one per call.
   */
  public final class TimedLoad<K, V> implements Function<K, V> {
    private final Function<? super K, ? extends V> function;
    private final boolean inputIsKey;
    private boolean invoked;

    private TimedLoad(Function<? super K, ? extends V> function, boolean inputIsKey) {
      this.function = Objects.requireNonNull(function, "function");
      this.inputIsKey = inputIsKey;
    }

    @Override
    public V apply(K input) {
      invoked = true;
      return load(inputIsKey ? input : null, () -> function.apply(input));
    }

    /** Whether the cache called this function: the value was loaded, not found. */
    public boolean invoked() {
      return invoked;
    }
  }
}
