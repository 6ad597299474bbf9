package dev.cachescope;

import dev.cachescope.insight.Ewma;
import dev.cachescope.insight.MemorySampler;
import dev.cachescope.insight.ReuseTimes;
import dev.cachescope.insight.ShardsEstimator;
import dev.cachescope.insight.SpaceSaving;
import dev.cachescope.internal.LatencyHistograms;
import dev.cachescope.internal.OperationHistory;
import dev.cachescope.internal.OperationRecord;
import dev.cachescope.internal.RecordSink;
import dev.cachescope.internal.StagingBuffer;
import dev.cachescope.internal.StripedCounters;
import dev.cachescope.internal.WindowSeries;
import java.lang.ref.WeakReference;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Records the operations of one cache: the design's {@code CacheMonitor}, built for the JVM's hot
 * paths.
 *
 * <h2>What is counted, and when</h2>
 *
 * <ul>
 *   <li><b>Counts are exact.</b> Every recorded hit, miss, put, removal, clear, load, eviction and
 *       error is counted, from any number of threads, with no lost updates.
 *   <li><b>Timing is sampled for hits only.</b> A lookup must decide whether to read the clock
 *       before it knows its outcome, so {@link #startLookup()} times one lookup in {@link
 *       Builder#hitSampleRate(int) N} (64 by default) at random; a timed hit stands for N hits in
 *       the percentiles. Loads, writes and removals are always timed ({@link #startTimed()}); a
 *       miss is timed when its lookup was sampled and is always kept in the history, and the load
 *       that follows a miss is always timed. The scope forms ({@link #track}) time every operation
 *       and keep every miss. In full-fidelity mode every operation is timed and kept.
 *   <li><b>History is bounded and lossy.</b> The history keeps the last {@link
 *       Builder#historySize(int) N} kept operations (10,000 by default). Operations pass through
 *       small per-thread staging rings that never block a caller: under contention, or when the
 *       rings are full because nothing drained them, records are dropped and counted in {@link
 *       CacheSnapshot#droppedOperations()}. Counts are never dropped.
 * </ul>
 *
 * <h2>The hot path</h2>
 *
 * The recording methods ({@code start…} and {@code record…}) take no lock, do no I/O, allocate
 * nothing and never throw: a failure inside monitoring (a key whose {@code hashCode} throws, say)
 * is counted in {@link CacheSnapshot#monitoringFaults()} and logged once. When the monitor is
 * disabled each of them is one branch. Adapters use them like this:
 *
 * <pre>{@code
 * long start = monitor.startLookup();
 * V value = cache.getIfPresent(key);
 * if (value != null) monitor.recordHit(start, Source.MEMORY, key);
 * else monitor.recordMiss(start, null, key);
 * }</pre>
 *
 * <h2>The reading side</h2>
 *
 * {@link #snapshot()} and {@link #recentOperations(int)} drain the staging rings, under a lock that
 * the recording methods never take; so does the {@link MetricsAggregator}'s publisher thread, which
 * is also what rolls the windows. All methods are thread-safe.
 */
@SuppressWarnings("EnumOrdinal") // ordinals index dense arrays and packed bits, by design
public final class CacheMonitor {
  /**
   * An operation that is not timed: pass it to a {@code record…} method for an operation that was
   * not started with a {@code start…} method. The {@code start…} methods return it, or another
   * untimed token, or a clock reading; pass what they return unchanged.
   */
  public static final long NOT_TIMED = Long.MIN_VALUE;

  /** Not timed because this thread's staging ring was full: the record will likely be dropped. */
  private static final long SKIPPED = NOT_TIMED + 1;

  private static final System.Logger LOG = System.getLogger("dev.cachescope");

  /** Salts key hashes so that a served hash says nothing about the key outside this process. */
  private static final long KEY_SALT = new SecureRandom().nextLong();

  // Counter layout: lookups by result and source, then one counter per outcome.
  private static final int UNSPECIFIED = Source.values().length;
  private static final int HIT = 0;
  private static final int MISS = HIT + UNSPECIFIED + 1;
  private static final int PUT = MISS + UNSPECIFIED + 1;
  private static final int REMOVAL = PUT + 1;
  private static final int CLEAR = REMOVAL + 1;
  private static final int LOAD_SUCCESS = CLEAR + 1;
  private static final int LOAD_FAILURE = LOAD_SUCCESS + 1;
  private static final int ERROR = LOAD_FAILURE + 1;
  private static final int EVICTION = ERROR + 1;
  private static final int UNSPECIFIED_CAUSE = EvictionCause.values().length;
  private static final int FAULT = EVICTION + UNSPECIFIED_CAUSE + 1;
  private static final int DROPPED = FAULT + 1;
  private static final int COUNTERS = DROPPED + 1;

  private static final int STAGING_CAPACITY = 256;
  private static final Duration[] WINDOWS = {
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)
  };
  private static final String[] WINDOW_NAMES = {"1m", "5m", "15m", "1h"};

  private static final int HOT_KEY_COUNTERS = 256;
  private static final int HOT_KEYS_SHOWN = 10;
  private static final int SIZING_MAX_KEYS = 8_192;
  private static final double[] SIZE_MULTIPLIERS = {0.25, 0.5, 1, 2, 4};
  private static final double[] TTL_MULTIPLIERS = {2, 4, 8};
  private static final int MEMORY_SAMPLE = 64;

  /** Fewer lookups than this in the last minute give no hit-rate trend point. */
  private static final long TREND_MIN_REQUESTS = 20;

  private final String name;
  private final boolean trackKeys;
  private final boolean timing;
  private final Ticker ticker;
  private final long epochOffsetNanos;
  private final StripedCounters counters;
  private final AtomicReferenceArray<@Nullable StagingBuffer> staging;

  /** Rings of their own for sizing samples, so that they never crowd out the history's records. */
  private final AtomicReferenceArray<@Nullable StagingBuffer> sizingStaging;

  private volatile @Nullable Binding<?> binding;
  private final AtomicBoolean faultLogged = new AtomicBoolean();

  private final ReentrantLock drainLock = new ReentrantLock();
  private final OperationHistory history;
  private final LatencyHistograms latencies = new LatencyHistograms();
  private final WindowSeries windows;

  private final int hitSampleMask;
  private final int hitSampleLog2;

  // Insights: fed by the drain, read by snapshots, all under the drain lock, except the sizing
  // estimator's sampled() check, which the hot path calls.
  private final @Nullable ShardsEstimator sizing;
  private final SpaceSaving hotKeys = new SpaceSaving(HOT_KEY_COUNTERS);
  private final ReuseTimes missReuse = new ReuseTimes();
  private final Ewma hitRateTrend = new Ewma(0.05, 12, 3, 0.02);
  private final Ewma p99Trend = new Ewma(0.05, 12, 3, 0.05);
  private double hitNanos;
  private long hitWeight;
  private double missNanos;
  private long missWeight;
  private final AtomicLong tokensSpent = new AtomicLong();
  private final AtomicLong tokenLoads = new AtomicLong();
  private final long memoryIntervalNanos;
  private final AtomicBoolean measuringMemory = new AtomicBoolean();
  private volatile MemorySampler.@Nullable Estimate memoryEstimate;
  private volatile long memoryMeasuredAt;
  private volatile long memoryMeasuredEntries;
  private volatile boolean memoryTried;
  private volatile boolean enabled;
  private volatile @Nullable MetricsAggregator owner;

  private CacheMonitor(Builder builder) {
    name = builder.name;
    trackKeys = builder.trackKeys;
    timing = builder.timing;
    ticker = builder.ticker;
    enabled = builder.enabled;
    hitSampleMask = builder.hitSampleRate - 1;
    hitSampleLog2 = Integer.numberOfTrailingZeros(builder.hitSampleRate);
    binding = builder.binding;
    epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - ticker.read();
    counters = new StripedCounters(COUNTERS, StripedCounters.defaultStripes());
    staging = new AtomicReferenceArray<>(counters.stripes());
    sizingStaging = new AtomicReferenceArray<>(counters.stripes());
    history = new OperationHistory(builder.historySize, trackKeys);
    windows =
        new WindowSeries(builder.windowResolution.toNanos(), WINDOWS[3].toNanos(), ticker.read());
    sizing =
        builder.sizingSampleRate == 0
            ? null
            : new ShardsEstimator(
                SIZING_MAX_KEYS, Integer.numberOfTrailingZeros(builder.sizingSampleRate));
    memoryIntervalNanos = builder.memoryInterval.toNanos();
  }

  /** Starts building a monitor for the cache called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A monitor with the defaults: enabled, hits timed 1 in 64, 10,000 operations of history. */
  public static CacheMonitor create(String name) {
    return builder(name).build();
  }

  /** The cache's name. */
  public String name() {
    return name;
  }

  /**
   * Binds the cache whose entries, memory and custom metrics the snapshots report, replacing any
   * earlier binding: for adapters that must create the monitor before the cache exists. The cache
   * is held weakly, as with {@link Builder#inspect}.
   */
  public <C> void inspect(C cache, CacheInspector<? super C> inspector) {
    binding =
        new Binding<>(
            Objects.requireNonNull(cache, "cache"), Objects.requireNonNull(inspector, "inspector"));
  }

  /** Whether the monitor records. */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Turns recording on or off at run time. While off, every recording method is one branch and
   * nothing is counted; counts so far are kept.
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  // ---------------------------------------------------------------------------------------------
  // The hot path: runs on the cache caller's thread. It must never lock, block, allocate or throw.
  // ---------------------------------------------------------------------------------------------

  /**
   * Call before a lookup; pass the result to {@link #recordHit} or {@link #recordMiss}. Reads the
   * clock for one lookup in N (every lookup in full-fidelity mode) and returns {@link #NOT_TIMED}
   * otherwise.
   */
  public long startLookup() {
    if (!enabled) {
      return NOT_TIMED;
    }
    if (hitSampleMask != 0 && (ThreadLocalRandom.current().nextInt() & hitSampleMask) != 0) {
      return NOT_TIMED;
    }
    if (!timing) {
      return NOT_TIMED;
    }
    return hasRoom() ? ticker.read() : SKIPPED;
  }

  /**
   * Call before a load, write, removal or clear: reads the clock unless timing is off or the record
   * would be dropped anyway.
   */
  public long startTimed() {
    if (!enabled || !timing) {
      return NOT_TIMED;
    }
    return hasRoom() ? ticker.read() : SKIPPED;
  }

  /**
   * Whether this thread's staging ring can take a record. When it cannot, reading the clock is
   * wasted work: the operation is counted, not timed, and its record is dropped (and counted) by
   * {@link #keep} unless the ring drained in between.
   */
  private boolean hasRoom() {
    StagingBuffer buffer = staging.get(counters.stripe());
    return buffer == null || !buffer.isFull();
  }

  /** A lookup found a value. {@code source} may be null when the adapter cannot tell. */
  public void recordHit(long startNanos, @Nullable Source source, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.increment(HIT + slot(source));
    if (startNanos != NOT_TIMED) {
      keep(Operation.GET, Result.HIT, source, null, startNanos, hitSampleLog2, key, -1, true);
    } else if (key != null && sizing != null) {
      keepForSizing(source, key, sizing);
    }
  }

  /**
   * Keeps an unsampled hit whose key the sizing estimator follows, in the sizing rings: one hash
   * and one compare for every other key. A full ring drops the sample uncounted; the estimator's
   * adjustment (SHARDS-adj) accounts for references it did not see.
   */
  private void keepForSizing(@Nullable Source source, Object key, ShardsEstimator estimator) {
    try {
      int hash = key.hashCode();
      if (!estimator.sampled(hash)) {
        return;
      }
      int stripe = counters.stripe();
      StagingBuffer buffer = sizingStaging.get(stripe);
      if (buffer == null) {
        buffer = stagingFor(sizingStaging, stripe, false);
      } else if (buffer.isFull()) {
        return;
      }
      int bits =
          OperationRecord.pack(
              Operation.GET, Result.HIT, source, null, 0, true, false, false, true);
      buffer.offer(ticker.read(), -1, bits, hash, -1, null);
    } catch (Throwable t) {
      fault(t);
    }
  }

  /** A lookup found nothing. {@code source} is where the value will come from, if known. */
  public void recordMiss(long startNanos, @Nullable Source source, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.increment(MISS + slot(source));
    keep(Operation.GET, Result.MISS, source, null, startNanos, 0, key, -1, startNanos != NOT_TIMED);
  }

  /** A load after a miss finished: it produced a value, or it threw or produced none. */
  public void recordLoad(long startNanos, boolean success, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.increment(success ? LOAD_SUCCESS : LOAD_FAILURE);
    Result result = success ? Result.SUCCESS : Result.FAILURE;
    keep(Operation.LOAD, result, Source.FRESH, null, startNanos, 0, key, -1, false);
  }

  /**
   * A load that the cache timed itself finished (Caffeine reports load times to its {@code
   * StatsCounter}, for example). Not for the hot path of a hit: it reads the clock.
   */
  public void recordLoadTime(long durationNanos, boolean success, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.increment(success ? LOAD_SUCCESS : LOAD_FAILURE);
    long start = timing ? ticker.read() - Math.max(0, durationNanos) : NOT_TIMED;
    Result result = success ? Result.SUCCESS : Result.FAILURE;
    keep(Operation.LOAD, result, Source.FRESH, null, start, 0, key, -1, false);
  }

  /** A value was written; {@code sizeBytes} is -1 when unknown. */
  public void recordPut(long startNanos, @Nullable Object key, long sizeBytes) {
    if (!enabled) {
      return;
    }
    counters.increment(PUT);
    keep(Operation.SET, Result.STORE, null, null, startNanos, 0, key, sizeBytes, false);
  }

  /** An entry was removed on request. */
  public void recordRemoval(long startNanos, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.increment(REMOVAL);
    keep(Operation.DELETE, Result.REMOVE, null, null, startNanos, 0, key, -1, false);
  }

  /** All entries were removed on request. */
  public void recordClear(long startNanos) {
    if (!enabled) {
      return;
    }
    counters.increment(CLEAR);
    keep(Operation.CLEAR, Result.CLEAR, null, null, startNanos, 0, null, -1, false);
  }

  /** The cache dropped an entry by itself. Not timed. */
  public void recordEviction(EvictionCause cause, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.increment(EVICTION + cause.ordinal());
    keep(Operation.EVICT, Result.EVICT, null, cause, NOT_TIMED, 0, key, -1, false);
  }

  /** The cache itself threw while serving {@code operation}; the exception goes to the caller. */
  public void recordError(Operation operation, long startNanos, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.increment(ERROR);
    keep(operation, Result.ERROR, null, null, startNanos, 0, key, -1, false);
  }

  private void keep(
      Operation operation,
      Result result,
      @Nullable Source source,
      @Nullable EvictionCause cause,
      long startNanos,
      int weightLog2,
      @Nullable Object key,
      long sizeBytes,
      boolean sampled) {
    try {
      int stripe = counters.stripe();
      StagingBuffer buffer = staging.get(stripe);
      if (buffer == null) {
        buffer = stagingFor(staging, stripe, trackKeys);
      } else if (buffer.isFull()) {
        counters.increment(DROPPED);
        return;
      }
      long end = ticker.read();
      boolean timed = startNanos > SKIPPED;
      int keyHash = key == null ? 0 : key.hashCode();
      int bits =
          OperationRecord.pack(
              operation, result, source, cause, weightLog2, key != null, timed, sampled, false);
      Object kept = trackKeys ? key : null;
      if (!buffer.offer(end, timed ? end - startNanos : -1, bits, keyHash, sizeBytes, kept)) {
        counters.increment(DROPPED);
      }
    } catch (Throwable t) {
      fault(t);
    }
  }

  private static int slot(@Nullable Source source) {
    return source == null ? UNSPECIFIED : source.ordinal();
  }

  // ---------------------------------------------------------------------------------------------
  // End of the hot path.
  // ---------------------------------------------------------------------------------------------

  /**
   * Records one operation of any kind, counted by its result: the general form behind the scope
   * API, for adapters whose operations do not fit the specific methods. {@link Result#EVICT} is
   * counted with an unspecified cause; use {@link #recordEviction} when the cause is known.
   *
   * @param startNanos from {@link #startTimed()}, or {@link #NOT_TIMED}
   * @param sizeBytes the value's size, -1 when unknown
   */
  public void record(
      Operation operation,
      Result result,
      @Nullable Source source,
      long startNanos,
      @Nullable Object key,
      long sizeBytes) {
    if (!enabled) {
      return;
    }
    count(result, source);
    keep(operation, result, source, null, startNanos, 0, key, sizeBytes, false);
  }

  private void count(Result result, @Nullable Source source) {
    switch (result) {
      case HIT -> counters.increment(HIT + slot(source));
      case MISS -> counters.increment(MISS + slot(source));
      case STORE -> counters.increment(PUT);
      case REMOVE -> counters.increment(REMOVAL);
      case CLEAR -> counters.increment(CLEAR);
      case EVICT -> counters.increment(EVICTION + UNSPECIFIED_CAUSE);
      case SUCCESS -> counters.increment(LOAD_SUCCESS);
      case FAILURE -> counters.increment(LOAD_FAILURE);
      case ERROR -> counters.increment(ERROR);
    }
  }

  /**
   * Opens a scope that times one operation until it is closed: the design's {@code
   * track_operation}. Reads the clock at once; a hit is kept in the history one time in N, every
   * other result always. When the monitor is disabled, returns a shared scope that records nothing.
   */
  public OperationScope track(Operation operation, @Nullable Object key) {
    if (!enabled) {
      return OperationScope.DISABLED;
    }
    boolean keepHit =
        hitSampleMask == 0 || (ThreadLocalRandom.current().nextInt() & hitSampleMask) == 0;
    long start = timing ? ticker.read() : NOT_TIMED;
    return new OperationScope(this, operation, key, start, keepHit);
  }

  /**
   * Runs {@code body} as one tracked operation. If it throws, the operation is recorded as {@link
   * Result#ERROR} and the exception is rethrown unchanged.
   */
  public <T, X extends Throwable> T track(
      Operation operation, @Nullable Object key, TrackedCall<T, X> body) throws X {
    OperationScope scope = track(operation, key);
    try {
      return body.call(scope);
    } catch (Throwable t) {
      scope.result(Result.ERROR);
      throw t;
    } finally {
      scope.close();
    }
  }

  void recordScope(
      Operation operation,
      Result result,
      @Nullable Source source,
      long startNanos,
      boolean chosen,
      @Nullable Object key,
      long sizeBytes) {
    if (!enabled) {
      return;
    }
    count(result, source);
    if (chosen || result != Result.HIT) {
      int weightLog2 = result == Result.HIT ? hitSampleLog2 : 0;
      boolean sampled = chosen && operation == Operation.GET;
      keep(operation, result, source, null, startNanos, weightLog2, key, sizeBytes, sampled);
    } else if (operation == Operation.GET && key != null && sizing != null) {
      keepForSizing(source, key, sizing);
    }
  }

  private static StagingBuffer stagingFor(
      AtomicReferenceArray<@Nullable StagingBuffer> rings, int stripe, boolean keepKeys) {
    StagingBuffer created = new StagingBuffer(STAGING_CAPACITY, keepKeys);
    StagingBuffer raced = rings.compareAndExchange(stripe, null, created);
    return raced == null ? created : raced;
  }

  void fault(Throwable t) {
    counters.increment(FAULT);
    if (faultLogged.compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cachescope: monitoring fault in cache '"
              + name
              + "', swallowed; later faults are counted in monitoring_faults, not logged",
          t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The reading side.
  // ---------------------------------------------------------------------------------------------

  /**
   * The newest {@code limit} operations in the history, oldest first (the design's {@code
   * get_recent_operations}). Drains pending records first.
   */
  public List<CacheOperation> recentOperations(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    List<CacheOperation> drained;
    List<CacheOperation> recent = new ArrayList<>(Math.min(limit, history.size() + 64));
    drainLock.lock();
    try {
      drained = drainLocked();
      history.replayNewest(
          limit,
          (end, d, bits, hash, size, key) ->
              recent.add(toOperation(end, d, bits, hash, size, key)));
    } finally {
      drainLock.unlock();
    }
    deliver(drained);
    return recent;
  }

  /** The number of operations the history can hold. */
  public int historyCapacity() {
    return history.capacity();
  }

  /** A consistent view of the cache now. Drains pending records and rolls the windows first. */
  public CacheSnapshot snapshot() {
    long now = ticker.read();
    long[] c;
    List<CacheOperation> drained;
    Map<String, LatencySummary> latency = new LinkedHashMap<>();
    Map<String, WindowStats> windowStats = new LinkedHashMap<>();
    double avgOperationMs;
    List<HotKey> topKeys;
    Map<String, Trend> trends;
    double meanHitMs;
    double meanMissMs;
    @Nullable SizingAdvice advice;
    // The inspector runs the cache's code, so it is read before the drain lock is taken.
    long entries = 0;
    long memory = -1;
    long capacity = -1;
    long ttlNanos = -1;
    Map<String, Object> custom = Map.of();
    Binding<?> b = binding;
    if (b != null) {
      try {
        entries = b.entries();
        memory = b.memoryBytes();
        custom = b.customMetrics();
        capacity = b.capacity();
        ttlNanos = b.ttlNanos();
      } catch (Throwable t) {
        fault(t); // counted before the counters are summed below
      }
    }
    drainLock.lock();
    try {
      drained = drainLocked();
      c = counters.sumAll();
      WindowSeries.Counts counts = counts(c);
      rollWindows(now, counts);
      for (int w = 0; w < WINDOWS.length; w++) {
        WindowSeries.Window window = windows.window(WINDOWS[w].toNanos(), now, counts);
        long requests = window.hits() + window.misses();
        windowStats.put(
            WINDOW_NAMES[w],
            new WindowStats(
                window.seconds(),
                requests,
                requests == 0 ? null : (double) window.hits() / requests,
                window.seconds() <= 0 ? 0.0 : window.operations() / window.seconds()));
      }
      avgOperationMs = latencySummaries(c, latency);
      topKeys = hotKeys(sum(c, HIT, UNSPECIFIED + 1) + sum(c, MISS, UNSPECIFIED + 1));
      trends = trends();
      meanHitMs = hitWeight == 0 ? Double.NaN : hitNanos / hitWeight / 1e6;
      meanMissMs = missWeight == 0 ? Double.NaN : missNanos / missWeight / 1e6;
      advice =
          sizingAdvice(
              capacity >= 0 ? capacity : entries,
              capacity >= 0,
              ttlNanos,
              sum(c, HIT, UNSPECIFIED + 1) + sum(c, MISS, UNSPECIFIED + 1));
    } finally {
      drainLock.unlock();
    }
    deliver(drained);

    long hits = sum(c, HIT, UNSPECIFIED + 1);
    long misses = sum(c, MISS, UNSPECIFIED + 1);
    long gets = hits + misses;
    String memoryMethod = memory >= 0 ? "inspector" : "unknown";
    long memoryError = 0;
    if (memory < 0) {
      if (memoryDue(now)) {
        measureMemory(now);
      }
      MemorySampler.Estimate estimate = memoryEstimate;
      if (estimate != null && estimate.bytes() >= 0) {
        memory = estimate.bytes();
        memoryError = estimate.errorBytes();
        memoryMethod = estimate.method();
      }
    }
    Map<String, Long> sources = new LinkedHashMap<>();
    for (Source source : Source.values()) {
      sources.put(source.toString(), c[HIT + source.ordinal()] + c[MISS + source.ordinal()]);
    }
    long unspecified = c[HIT + UNSPECIFIED] + c[MISS + UNSPECIFIED];
    if (unspecified > 0) {
      sources.put("unspecified", unspecified);
    }
    Map<String, Long> byCause = new LinkedHashMap<>();
    for (EvictionCause cause : EvictionCause.values()) {
      byCause.put(cause.toString(), c[EVICTION + cause.ordinal()]);
    }
    if (c[EVICTION + UNSPECIFIED_CAUSE] > 0) {
      byCause.put("unspecified", c[EVICTION + UNSPECIFIED_CAUSE]);
    }
    return new CacheSnapshot(
        name,
        epochSeconds(now),
        entries,
        Math.max(memory, 0),
        gets == 0 ? 0.0 : (double) hits / gets,
        avgOperationMs,
        hits,
        misses,
        sum(c, EVICTION, UNSPECIFIED_CAUSE + 1),
        Collections.unmodifiableMap(new LinkedHashMap<>(custom)),
        gets,
        c[PUT],
        c[REMOVAL],
        c[CLEAR],
        c[LOAD_SUCCESS],
        c[LOAD_FAILURE],
        c[ERROR],
        Collections.unmodifiableMap(latency),
        Collections.unmodifiableMap(windowStats),
        Collections.unmodifiableMap(sources),
        Collections.unmodifiableMap(byCause),
        memoryMethod,
        c[DROPPED],
        c[FAULT],
        enabled,
        memoryError,
        timeSavedMs(hits, c[LOAD_SUCCESS] + c[LOAD_FAILURE], latency, meanHitMs, meanMissMs),
        tokensSaved(hits),
        topKeys,
        advice,
        trends);
  }

  /**
   * The hot keys, highest first; under the drain lock. Each sample stands for {@code gets /
   * samples} lookups: the sampling rate, corrected for samples the staging rings dropped.
   */
  private List<HotKey> hotKeys(long gets) {
    List<HotKey> top = new ArrayList<>();
    long samples = hotKeys.offers();
    double scale = samples == 0 ? 0 : Math.max(1.0, (double) gets / samples);
    for (SpaceSaving.Entry e : hotKeys.top(HOT_KEYS_SHOWN)) {
      Object label = e.label();
      String shown = label != null ? describe(label) : "#" + hashKey((int) e.key());
      top.add(new HotKey(shown, Math.round(e.count() * scale), Math.round(e.error() * scale)));
    }
    return Collections.unmodifiableList(top);
  }

  /** The trends of hit rate and p99; under the drain lock. */
  private Map<String, Trend> trends() {
    Map<String, Trend> trends = new LinkedHashMap<>();
    trends.put("hit_rate", trend(hitRateTrend));
    trends.put("p99_ms", trend(p99Trend));
    return Collections.unmodifiableMap(trends);
  }

  private static Trend trend(Ewma ewma) {
    return new Trend(
        finite(ewma.last()),
        finite(ewma.baseline()),
        finite(ewma.lastDeviation()),
        ewma.anomalous());
  }

  private static @Nullable Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /**
   * Sizing and TTL advice, or null when sizing is off; under the drain lock (the drain feeds it).
   */
  private @Nullable SizingAdvice sizingAdvice(
      long currentSize, boolean isCapacity, long ttlNanos, long gets) {
    ShardsEstimator estimator = sizing;
    if (estimator == null) {
      return null;
    }
    long[] sizes = new long[SIZE_MULTIPLIERS.length];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = Math.max(1, Math.round(currentSize * SIZE_MULTIPLIERS[i]));
    }
    double[] ratios = estimator.hitRatios(sizes, gets);
    List<SizingAdvice.SizePoint> points = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      points.add(new SizingAdvice.SizePoint(SIZE_MULTIPLIERS[i], sizes[i], finite(ratios[i])));
    }
    SizingAdvice.TtlAdvice ttl = null;
    if (ttlNanos > 0 && missReuse.misses() > 0) {
      long ttlMillis = ttlNanos / 1_000_000;
      List<SizingAdvice.TtlOption> options = new ArrayList<>();
      for (double m : TTL_MULTIPLIERS) {
        long longer = Math.round(ttlMillis * m);
        options.add(
            new SizingAdvice.TtlOption(m, longer / 1000.0, missReuse.avoidedBy(ttlMillis, longer)));
      }
      long p50 = missReuse.reuseMillisAt(50);
      ttl =
          new SizingAdvice.TtlAdvice(
              ttlNanos / 1e9, p50 < 0 ? null : p50 / 1000.0, List.copyOf(options));
    }
    return new SizingAdvice(
        currentSize,
        isCapacity ? "capacity" : "entries",
        estimator.rate(),
        estimator.sampledKeys(),
        estimator.references(),
        List.copyOf(points),
        ttl);
  }

  /**
   * Time saved by hits: hits times (mean load time, or mean miss time without loads, minus mean hit
   * time), in milliseconds; 0 until a load or miss was timed. Until a hit is timed (1 in 64 by
   * default, so a cache with few hits may have none), hits count as free: an upper bound that is
   * close whenever a load costs far more than a hit, which is why the value is cached at all.
   */
  private static double timeSavedMs(
      long hits,
      long loads,
      Map<String, LatencySummary> latency,
      double meanHitMs,
      double meanMissMs) {
    LatencySummary load = latency.get(Operation.LOAD.toString());
    double costMs = loads > 0 && load != null ? load.meanMs() : meanMissMs;
    if (Double.isNaN(costMs)) {
      return 0;
    }
    return hits * Math.max(0, costMs - (Double.isNaN(meanHitMs) ? 0 : meanHitMs));
  }

  private @Nullable Long tokensSaved(long hits) {
    long loads = tokenLoads.get();
    return loads == 0 ? null : Math.round((double) hits * tokensSpent.get() / loads);
  }

  /**
   * Reports what one load cost in tokens (a language-model call, say), so that snapshots can say
   * what hits saved: {@code tokens_saved} is hits times the mean tokens per reported load. Call it
   * once per load that spent tokens. Thread-safe; not for the hot path of a hit.
   */
  public void recordLoadTokens(long tokens) {
    if (!enabled || tokens < 0) {
      return;
    }
    tokensSpent.addAndGet(tokens);
    tokenLoads.incrementAndGet();
  }

  /**
   * Whether to measure memory now: never measured, the interval passed, or the cache has more than
   * doubled since (a cache filling up after start should not report its empty size for a minute).
   */
  private boolean memoryDue(long now) {
    if (memoryIntervalNanos <= 0) {
      return false;
    }
    if (!memoryTried || now - memoryMeasuredAt >= memoryIntervalNanos) {
      return true;
    }
    Binding<?> b = binding;
    try {
      return b != null && b.entries() > 2 * memoryMeasuredEntries + 16;
    } catch (Throwable t) {
      fault(t);
      return false;
    }
  }

  /**
   * Measures the entries' memory if the inspector can sample them; runs on one thread at a time,
   * off the hot path.
   */
  private void measureMemory(long now) {
    Binding<?> b = binding;
    if (b == null || memoryIntervalNanos <= 0 || !measuringMemory.compareAndSet(false, true)) {
      return;
    }
    try {
      long entries = b.entries();
      List<? extends Map.Entry<?, ?>> sample = b.sampleEntries(MEMORY_SAMPLE);
      if (!sample.isEmpty()) {
        memoryEstimate = MemorySampler.estimate(sample, entries);
      }
      memoryMeasuredEntries = entries;
      memoryMeasuredAt = now;
      memoryTried = true;
    } catch (Throwable t) {
      fault(t);
    } finally {
      measuringMemory.set(false);
    }
  }

  /**
   * The cache's time series over the last hour: one point per window sample (every 5 s unless
   * {@link Builder#windowResolution} says otherwise) whose end is after {@code afterEpochSeconds},
   * oldest first. Pass 0 for all of it, or the last point's timestamp to get only newer points.
   * Drains pending records first. Thread-safe.
   */
  public List<SeriesPoint> series(double afterEpochSeconds) {
    List<WindowSeries.Interval> intervals;
    List<CacheOperation> drained;
    drainLock.lock();
    try {
      drained = drainLocked();
      rollWindows(ticker.read(), counts(counters.sumAll()));
      intervals = windows.points();
    } finally {
      drainLock.unlock();
    }
    deliver(drained);
    List<SeriesPoint> points = new ArrayList<>(intervals.size());
    for (WindowSeries.Interval i : intervals) {
      // Compared as the same doubles that are served, so a client passing a point's timestamp
      // back never gets that point again (nanoseconds do not survive the round trip).
      double timestamp = epochSeconds(i.endNanos());
      if (timestamp <= afterEpochSeconds) {
        continue;
      }
      long requests = i.hits() + i.misses();
      points.add(
          new SeriesPoint(
              timestamp,
              i.seconds(),
              requests,
              requests == 0 ? null : (double) i.hits() / requests,
              i.seconds() <= 0 ? 0.0 : i.operations() / i.seconds(),
              Double.isNaN(i.p99Nanos()) ? null : i.p99Nanos() / 1e6));
    }
    return points;
  }

  private void rollWindows(long now, WindowSeries.Counts counts) {
    if (windows.isDue(now)) {
      double p99Nanos = latencies.takeIntervalLookupP99();
      windows.sample(now, counts, p99Nanos);
      WindowSeries.Window minute = windows.window(WINDOWS[0].toNanos(), now, counts);
      long requests = minute.hits() + minute.misses();
      hitRateTrend.update(
          requests < TREND_MIN_REQUESTS ? Double.NaN : (double) minute.hits() / requests);
      p99Trend.update(p99Nanos / 1e6);
    }
  }

  /**
   * Drains pending records into the history and histograms and rolls the windows. The aggregator's
   * publisher calls this periodically; a monitor that no aggregator holds drains when it is read.
   */
  void publish() {
    List<CacheOperation> drained;
    long now = ticker.read();
    drainLock.lock();
    try {
      drained = drainLocked();
      rollWindows(now, counts(counters.sumAll()));
    } finally {
      drainLock.unlock();
    }
    if (memoryDue(now)) {
      measureMemory(now);
    }
    deliver(drained);
  }

  boolean isCacheCollected() {
    Binding<?> b = binding;
    return b != null && b.isCollected();
  }

  void attach(MetricsAggregator aggregator) {
    MetricsAggregator current = owner;
    if (current != null && current != aggregator) {
      throw new IllegalStateException(
          "cache monitor '" + name + "' is already registered with another aggregator");
    }
    owner = aggregator;
  }

  void detach(MetricsAggregator aggregator) {
    if (owner == aggregator) {
      owner = null;
    }
  }

  private List<CacheOperation> drainLocked() {
    counters.releaseTerminatedOwners();
    MetricsAggregator o = owner;
    boolean collect = o != null && o.hasListeners();
    List<CacheOperation> drained = collect ? new ArrayList<>() : List.of();
    RecordSink sink =
        (end, duration, bits, keyHash, size, key) -> {
          if (OperationRecord.operation(bits) == Operation.GET) {
            learn(end, duration, bits, keyHash, key);
            if (OperationRecord.spatialOnly(bits)) {
              return;
            }
          }
          history.accept(end, duration, bits, keyHash, size, key);
          if (duration >= 0) {
            latencies.record(
                OperationRecord.operation(bits), duration, OperationRecord.weight(bits));
          }
          if (collect) {
            drained.add(toOperation(end, duration, bits, keyHash, size, key));
          }
        };
    for (int i = 0; i < staging.length(); i++) {
      StagingBuffer buffer = staging.get(i);
      if (buffer != null) {
        buffer.drainTo(sink);
      }
      StagingBuffer sizingBuffer = sizingStaging.get(i);
      if (sizingBuffer != null) {
        sizingBuffer.drainTo(sink);
      }
    }
    return drained;
  }

  /** Feeds one drained lookup to the insights: sizing, TTL advice, hot keys and hit/miss times. */
  private void learn(long end, long duration, int bits, int keyHash, @Nullable Object key) {
    boolean hit = OperationRecord.result(bits) == Result.HIT;
    ShardsEstimator estimator = sizing;
    if (estimator != null
        && OperationRecord.hasKey(bits)
        && (OperationRecord.spatialOnly(bits) || estimator.sampled(keyHash))) {
      estimator.access(keyHash, end);
      if (!hit) {
        missReuse.miss(estimator.lastReuseNanos(), estimator.weight());
      }
    }
    if (OperationRecord.sampled(bits) && OperationRecord.hasKey(bits)) {
      hotKeys.offer(keyHash, trackKeys ? key : null);
    }
    if (duration >= 0) {
      long weight = OperationRecord.weight(bits);
      if (hit) {
        hitNanos += (double) duration * weight;
        hitWeight += weight;
      } else {
        missNanos += (double) duration * weight;
        missWeight += weight;
      }
    }
  }

  private void deliver(List<CacheOperation> drained) {
    MetricsAggregator o = owner;
    if (!drained.isEmpty() && o != null) {
      o.dispatch(this, drained);
    }
  }

  private double latencySummaries(long[] c, Map<String, LatencySummary> into) {
    double weightedSum = 0;
    long weight = 0;
    for (Operation operation : Operation.values()) {
      double[] s = latencies.summarize(operation, 50, 95, 99, 99.9);
      if (s == null) {
        continue;
      }
      into.put(
          operation.toString(),
          new LatencySummary(
              (long) s[0], s[1] / 1e6, s[2] / 1e6, s[3] / 1e6, s[4] / 1e6, s[5] / 1e6, s[6] / 1e6));
      long exact = exactCount(operation, c);
      weightedSum += s[1] / 1e6 * exact;
      weight += exact;
    }
    return weight == 0 ? 0.0 : weightedSum / weight;
  }

  private static long exactCount(Operation operation, long[] c) {
    return switch (operation) {
      case GET -> sum(c, HIT, UNSPECIFIED + 1) + sum(c, MISS, UNSPECIFIED + 1);
      case SET -> c[PUT];
      case DELETE -> c[REMOVAL];
      case CLEAR -> c[CLEAR];
      case LOAD -> c[LOAD_SUCCESS] + c[LOAD_FAILURE];
      case EVICT -> 0;
    };
  }

  private static WindowSeries.Counts counts(long[] c) {
    long hits = sum(c, HIT, UNSPECIFIED + 1);
    long misses = sum(c, MISS, UNSPECIFIED + 1);
    return new WindowSeries.Counts(hits, misses, hits + misses + c[PUT] + c[REMOVAL] + c[CLEAR]);
  }

  private static long sum(long[] c, int from, int count) {
    long sum = 0;
    for (int i = from; i < from + count; i++) {
      sum += c[i];
    }
    return sum;
  }

  private CacheOperation toOperation(
      long end, long duration, int bits, int keyHash, long size, @Nullable Object key) {
    boolean hasKey = OperationRecord.hasKey(bits);
    return new CacheOperation(
        name,
        OperationRecord.operation(bits),
        epochSeconds(end),
        duration < 0 ? null : duration / 1e6,
        OperationRecord.result(bits),
        key == null ? null : describe(key),
        size < 0 ? null : size,
        OperationRecord.source(bits),
        hasKey ? hashKey(keyHash) : null,
        OperationRecord.cause(bits),
        OperationRecord.weight(bits));
  }

  private String describe(Object key) {
    try {
      return String.valueOf(key);
    } catch (RuntimeException e) {
      fault(e);
      return "<key toString() failed>";
    }
  }

  private static String hashKey(int keyHash) {
    long h = keyHash ^ KEY_SALT;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return Long.toHexString(h ^ (h >>> 33));
  }

  private double epochSeconds(long tickerNanos) {
    return (epochOffsetNanos + tickerNanos) / 1e9;
  }

  /** Holds the cache weakly, with the inspector that reads it. */
  private static final class Binding<C> {
    private final WeakReference<C> cache;
    private final CacheInspector<? super C> inspector;

    Binding(C cache, CacheInspector<? super C> inspector) {
      this.cache = new WeakReference<>(cache);
      this.inspector = inspector;
    }

    boolean isCollected() {
      return cache.get() == null;
    }

    long entries() {
      C c = cache.get();
      return c == null ? 0 : inspector.entries(c);
    }

    long memoryBytes() {
      C c = cache.get();
      return c == null ? -1 : inspector.memoryBytes(c);
    }

    Map<String, Object> customMetrics() {
      C c = cache.get();
      return c == null ? Map.of("collected", true) : inspector.customMetrics(c);
    }

    long capacity() {
      C c = cache.get();
      return c == null ? -1 : inspector.capacity(c);
    }

    long ttlNanos() {
      C c = cache.get();
      return c == null ? -1 : inspector.ttlNanos(c);
    }

    List<? extends Map.Entry<?, ?>> sampleEntries(int limit) {
      C c = cache.get();
      return c == null ? List.of() : inspector.sampleEntries(c, limit);
    }
  }

  /** Configures a {@link CacheMonitor}. Not thread-safe; build once. */
  public static final class Builder {
    private final String name;
    private boolean enabled = true;
    private int hitSampleRate = 64;
    private int historySize = 10_000;
    private boolean trackKeys;
    private boolean timing = true;
    private Ticker ticker = Ticker.system();
    private Duration windowResolution = Duration.ofSeconds(5);
    private @Nullable Binding<?> binding;
    private int sizingSampleRate = 16;
    private Duration memoryInterval = Duration.ofMinutes(1);

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a cache name must not be blank");
      }
      this.name = name;
    }

    /** Whether to record from the start; default true. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * Time one lookup in {@code rate} (a power of two between 1 and 2^20); default 64. 1 times
     * every lookup.
     */
    public Builder hitSampleRate(int rate) {
      if (rate < 1 || rate > (1 << 20) || Integer.bitCount(rate) != 1) {
        throw new IllegalArgumentException(
            "hitSampleRate must be a power of two between 1 and 1048576 (1, 2, 4, ... 64 ...), was "
                + rate);
      }
      this.hitSampleRate = rate;
      return this;
    }

    /** Time and keep every operation: the same as {@code hitSampleRate(1)}. */
    public Builder fullFidelity() {
      return hitSampleRate(1);
    }

    /** How many recent operations the history keeps; default 10,000; 0 keeps none. */
    public Builder historySize(int size) {
      if (size < 0 || size > 10_000_000) {
        throw new IllegalArgumentException(
            "historySize must be between 0 and 10000000, was " + size);
      }
      this.historySize = size;
      return this;
    }

    /**
     * Keep and serve keys' {@code toString()} in the history; default false, which keeps only a
     * salted hash. Keys may be private data: turn this on only where that is acceptable.
     */
    public Builder trackKeys(boolean trackKeys) {
      this.trackKeys = trackKeys;
      return this;
    }

    /** Whether to read the clock at all (the design's {@code track_timing}); default true. */
    public Builder timing(boolean timing) {
      this.timing = timing;
      return this;
    }

    /** The time source for durations and windows; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** How often window samples are taken; default 5 s, at least 100 ms. */
    public Builder windowResolution(Duration resolution) {
      if (resolution.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException(
            "windowResolution must be at least 100ms, was " + resolution);
      }
      this.windowResolution = resolution;
      return this;
    }

    /**
     * Follows one key in {@code rate} for sizing advice ({@link CacheSnapshot#sizing()}): lookups
     * of those keys are kept for the miss-ratio curve, whether or not they are timed. A power of
     * two from 1 to 1,048,576, or 0 to turn sizing advice off; default 16. The rate halves by
     * itself when more than 8,192 keys are followed, which bounds the estimator's memory (under 1
     * MB). The hot-path cost is a hash and a compare per untimed hit, plus keeping one hit in
     * {@code rate}.
     */
    public Builder sizingSampleRate(int rate) {
      if (rate != 0 && (rate < 1 || rate > (1 << 20) || Integer.bitCount(rate) != 1)) {
        throw new IllegalArgumentException(
            "sizingSampleRate must be 0 (off) or a power of two from 1 to 1048576, was " + rate);
      }
      this.sizingSampleRate = rate;
      return this;
    }

    /**
     * How often to measure the entries' memory when the inspector can sample entries ({@link
     * CacheInspector#sampleEntries}); default one minute, {@link Duration#ZERO} turns it off. The
     * measurement runs on the publisher thread (or on the first snapshot), never on the hot path.
     */
    public Builder memorySampleInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("memorySampleInterval must not be negative");
      }
      this.memoryInterval = interval;
      return this;
    }

    /**
     * Reads entries, memory and custom metrics from {@code cache} for snapshots. The cache is held
     * weakly: once it is garbage collected, its snapshots report no entries and an aggregator drops
     * the monitor.
     */
    public <C> Builder inspect(C cache, CacheInspector<? super C> inspector) {
      this.binding =
          new Binding<>(
              Objects.requireNonNull(cache, "cache"),
              Objects.requireNonNull(inspector, "inspector"));
      return this;
    }

    /** The monitor. */
    public CacheMonitor build() {
      return new CacheMonitor(this);
    }
  }
}
