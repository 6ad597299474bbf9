package dev.cachescope;

import dev.cachescope.internal.LatencyHistograms;
import dev.cachescope.internal.OperationHistory;
import dev.cachescope.internal.OperationRecord;
import dev.cachescope.internal.StagingBuffer;
import dev.cachescope.internal.WindowSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Records the operations of one cache: the seed design's {@code CacheMonitor}, built for the JVM's
 * hot paths.
 *
 * <h2>What is counted, and when</h2>
 *
 * <ul>
 *   <li><b>Counts are exact.</b> Every recorded hit, miss, put, removal, clear, load, eviction and
 *       error is counted, from any number of threads, with no lost updates.
 *   <li><b>Lookups are timed by a budget per thread.</b> A lookup must decide whether to read the
 *       clock before it knows its outcome. {@link #startLookup()} times every lookup of a thread
 *       that makes few (under about 4,000 a second) and, as its rate grows, one in 2, 4, … (at
 *       least one in {@link Builder#hitSampleRate(int) N}), by a countdown; a timed lookup, hit or
 *       miss, stands for exactly the lookups of its countdown in the percentiles, and only timed
 *       lookups are kept in the history, so hits and misses keep their share of it. Loads, writes
 *       and removals are always timed ({@link #startTimed()}), and so is the load that follows a
 *       miss. A miss recorded with {@link #NOT_TIMED} (an adapter that could not start it) is
 *       always kept. The scope forms ({@link #track}) time every operation and keep every miss. In
 *       full-fidelity mode every operation is timed and kept.
 *   <li><b>History is bounded and lossy.</b> The history keeps the last {@link
 *       Builder#maxOperationsHistory(int) N} kept operations (10,000 by default). Operations pass
 *       through small per-thread staging rings that never block a caller: under contention, or when
 *       the rings are full because nothing drained them, records are dropped and counted in {@link
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
public final class CacheMonitor {
  /**
   * An operation that is not timed: pass it to a {@code record…} method for an operation that was
   * not started with a {@code start…} method. The {@code start…} methods return it, or another
   * untimed token, or a clock reading; pass what they return unchanged.
   */
  public static final long NOT_TIMED = Long.MIN_VALUE;

  /** Not timed because this thread's staging ring was full: the record will likely be dropped. */
  private static final long SKIPPED = NOT_TIMED + 1;

  /**
   * Not timed because the timing budget passed it over: a miss so started is not kept in the
   * history either (a timed lookup stands for it), unlike a miss recorded with {@link #NOT_TIMED}.
   */
  private static final long PASSED_OVER = NOT_TIMED + 2;

  /** The wanted time between two timed lookups of one thread: about 4,000 a second at most. */
  private static final long TIMING_SPACING_NANOS = 250_000;

  private static final System.Logger LOG = System.getLogger("dev.cachescope");

  private static final int SIZING_MAX_KEYS = 16_384;

  private final String name;
  private final boolean trackKeys;
  private final boolean timing;
  private final Ticker ticker;
  private final MonitorCounters counters = new MonitorCounters();
  private final TimingBudget budget;
  private final StagingRings rings;

  /** The sizing feed whose {@code sampled(hash)} the hot path asks; null when sizing is off. */
  private final @Nullable SizingFeed sizing;

  private final OperationHistory history;
  private final RecordDecoder decoder;
  private final InsightFeed insights;
  private final RecordDrain drain;
  private final SnapshotAssembler assembler;
  private final MemoryProbe memory;
  private final AtomicBoolean faultLogged = new AtomicBoolean();
  private volatile @Nullable CacheBinding<?> binding;
  private volatile boolean enabled;

  private CacheMonitor(Builder builder) {
    name = builder.name;
    trackKeys = builder.trackKeys;
    timing = builder.timing;
    ticker = builder.ticker;
    enabled = builder.enabled;
    budget =
        new TimingBudget(
            counters.stripes(),
            Integer.numberOfTrailingZeros(builder.hitSampleRate),
            TIMING_SPACING_NANOS);
    binding = builder.binding;
    rings = new StagingRings(counters.stripes(), trackKeys);
    history = new OperationHistory(builder.maxOperationsHistory, trackKeys);
    sizing =
        builder.sizingSampleRate == 0
            ? null
            : new SizingFeed(
                Integer.numberOfTrailingZeros(builder.sizingSampleRate),
                SIZING_MAX_KEYS,
                counters.stripes(),
                this::fault);
    long start = ticker.read();
    decoder = new RecordDecoder(name, start, this::fault);
    LatencyHistograms latencies = new LatencyHistograms();
    WindowSeries windows =
        new WindowSeries(
            builder.windowResolution.toNanos(), RecordDrain.WINDOWS[3].toNanos(), start);
    insights = new InsightFeed(trackKeys, decoder);
    drain =
        new RecordDrain(
            this, rings, counters, history, latencies, windows, insights, sizing, decoder);
    assembler = new SnapshotAssembler(name, latencies, windows, insights, sizing, decoder);
    memory = new MemoryProbe(builder.memoryInterval.toNanos(), () -> binding, this::fault);
  }

  /** Starts building a monitor for the cache called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * A monitor with the defaults: enabled, lookups timed by a per-thread budget, 10,000 operations
   * of history, sizing advice on.
   */
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
        new CacheBinding<>(
            Objects.requireNonNull(cache, "cache"), Objects.requireNonNull(inspector, "inspector"));
  }

  /**
   * Makes sizing advice simulate {@code model}, the cache's own policy, beside the LRU curve that
   * every cache gets ({@link SizingAdvice#model()}); adapters call it (the Caffeine adapter with
   * real Caffeine miniatures). Takes effect at the next sampled reference; does nothing when sizing
   * is off. Thread-safe.
   */
  public void simulate(SizingModel model) {
    Objects.requireNonNull(model, "model");
    SizingFeed feed = sizing;
    if (feed != null) {
      feed.simulate(model);
    }
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
   * clock when this thread's timing budget picks the lookup (every lookup of a thread that makes
   * few; see {@link Builder#hitSampleRate}) and returns an untimed token otherwise.
   */
  public long startLookup() {
    if (!enabled || !timing) {
      return NOT_TIMED;
    }
    int stripe = counters.stripe();
    return budget.draw(stripe) ? startChosenLookup(stripe) : PASSED_OVER;
  }

  /** The lookup that the budget chose: timed, unless its record would be dropped anyway. */
  private long startChosenLookup(int stripe) {
    if (!rings.hasRoom(stripe)) {
      budget.skip(stripe);
      return SKIPPED;
    }
    long now = ticker.read();
    budget.timed(stripe, now);
    return now;
  }

  /**
   * Call before a load, write, removal or clear: reads the clock unless timing is off or the record
   * would be dropped anyway (this thread's staging ring is full).
   */
  public long startTimed() {
    if (!enabled || !timing) {
      return NOT_TIMED;
    }
    return rings.hasRoom(counters.stripe()) ? ticker.read() : SKIPPED;
  }

  /** A lookup found a value. {@code source} may be null when the adapter cannot tell. */
  public void recordHit(long startNanos, @Nullable Source source, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.hit(source);
    // Nearly every hit is untimed; the timed path is a method of its own, so that this one compiles
    // small (C2 does not inline a method that compiled to over 2,500 bytes into its callers).
    if (startNanos > PASSED_OVER) {
      timedHit(startNanos, source, key);
    } else {
      sampleKey(key, lookup(Result.HIT, source, 0, 0));
    }
  }

  /** A hit that {@link #startLookup} timed: kept in the history, then offered to sizing. */
  private void timedHit(long startNanos, @Nullable Source source, @Nullable Object key) {
    int weightLog2 = budget.weightLog2(counters.stripe());
    if (keep(lookup(Result.HIT, source, weightLog2, OperationRecord.SAMPLED), startNanos, key)) {
      sampleKey(key, lookup(Result.HIT, source, 0, 0));
    }
  }

  /** A lookup found nothing. {@code source} is where the value will come from, if known. */
  public void recordMiss(long startNanos, @Nullable Source source, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.miss(source);
    boolean kept = true;
    if (startNanos > PASSED_OVER) {
      int weightLog2 = budget.weightLog2(counters.stripe());
      kept =
          keep(lookup(Result.MISS, source, weightLog2, OperationRecord.SAMPLED), startNanos, key);
    } else if (startNanos != PASSED_OVER) {
      kept = keep(lookup(Result.MISS, source, 0, OperationRecord.NO_FLAGS), startNanos, key);
    }
    if (kept) {
      sampleKey(key, lookup(Result.MISS, source, 0, 0));
    }
  }

  /** A load after a miss finished: it produced a value, or it threw or produced none. */
  public void recordLoad(long startNanos, boolean success, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.load(success);
    keep(load(success), startNanos, key);
  }

  /**
   * A load that the cache timed itself finished (Caffeine reports load times to its {@code
   * StatsCounter}, for example). Not for the hot path of a hit: it reads the clock.
   */
  public void recordLoadTime(long durationNanos, boolean success, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.load(success);
    keep(load(success), timing ? ticker.read() - Math.max(0, durationNanos) : NOT_TIMED, key);
  }

  /** A value was written; {@code sizeBytes} is -1 when unknown. */
  public void recordPut(long startNanos, @Nullable Object key, long sizeBytes) {
    if (!enabled) {
      return;
    }
    counters.put();
    int bits = plain(Operation.SET, Result.STORE, null);
    if (keep(bits, startNanos, key, sizeBytes)) {
      sample(key, bits);
    }
  }

  /** An entry was removed on request. */
  public void recordRemoval(long startNanos, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.removal();
    int bits = plain(Operation.DELETE, Result.REMOVE, null);
    if (keep(bits, startNanos, key)) {
      sample(key, bits);
    }
  }

  /** All entries were removed on request. */
  public void recordClear(long startNanos) {
    if (!enabled) {
      return;
    }
    counters.clear();
    int bits = plain(Operation.CLEAR, Result.CLEAR, null);
    if (keep(bits, startNanos, null)) {
      sample(null, bits);
    }
  }

  /** The cache dropped an entry by itself. Not timed. */
  public void recordEviction(EvictionCause cause, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.eviction(cause);
    int bits = OperationRecord.pack(Operation.EVICT, Result.EVICT, null, cause, 0, 0);
    keep(bits, NOT_TIMED, key);
  }

  /**
   * The cache dropped {@code count} entries by itself, as its own statistics counted them (a tiered
   * cache's authoritative tier, say): counted, with no history records. For adapters that cannot
   * see each eviction; not for the hot path.
   */
  public void recordEvictions(EvictionCause cause, long count) {
    if (enabled && count > 0) {
      counters.evictions(cause, count);
    }
  }

  /** The cache itself threw while serving {@code operation}; the exception goes to the caller. */
  public void recordError(Operation operation, long startNanos, @Nullable Object key) {
    if (!enabled) {
      return;
    }
    counters.error();
    keep(plain(operation, Result.ERROR, null), startNanos, key);
  }

  private boolean keep(int bits, long startNanos, @Nullable Object key) {
    return keep(bits, startNanos, key, -1);
  }

  /**
   * Stages one record for the drain: {@code bits} are its packed enums and flags, to which this
   * adds whether it has a key and was timed. A full ring drops it, counted in {@code dropped}.
   *
   * @return false when monitoring failed (a fault, counted), so the caller stages nothing more
   */
  private boolean keep(int bits, long startNanos, @Nullable Object key, long sizeBytes) {
    try {
      StagingBuffer ring = rings.history(counters.stripe());
      if (ring.isFull()) {
        counters.dropped();
        return true;
      }
      long end = ticker.read();
      boolean timed = startNanos > PASSED_OVER;
      int keyHash = key == null ? 0 : key.hashCode();
      int flags = (key != null ? OperationRecord.HAS_KEY : 0) | (timed ? OperationRecord.TIMED : 0);
      if (!ring.offer(
          end,
          timed ? end - startNanos : -1,
          bits | flags,
          keyHash,
          sizeBytes,
          trackKeys ? key : null)) {
        counters.dropped();
      }
      return true;
    } catch (Throwable t) {
      fault(t);
      return false;
    }
  }

  /**
   * Hands a lookup, write or removal of a key that sizing follows, or a clear, to the sizing feed,
   * which sees every reference to such a key: one hash and one compare for every other key.
   */
  private void sample(@Nullable Object key, int bits) {
    if (OperationRecord.operation(bits) != Operation.CLEAR) {
      sampleKey(key, bits);
      return;
    }
    SizingFeed feed = sizing;
    try {
      if (feed != null) {
        feed.offer(counters.stripe(), ticker.read(), bits, 0);
      }
    } catch (Throwable t) {
      fault(t);
    }
  }

  /**
   * {@link #sample} for a reference that is not a clear (a lookup, a write or a removal): lookups,
   * nearly every call, come here directly and skip asking whether the record is a clear.
   */
  private void sampleKey(@Nullable Object key, int bits) {
    SizingFeed feed = sizing;
    if (feed == null || key == null) {
      return;
    }
    try {
      int hash = key.hashCode();
      if (feed.sampled(hash)) {
        feed.offer(counters.stripe(), ticker.read(), bits, hash);
      }
    } catch (Throwable t) {
      fault(t);
    }
  }

  private static int lookup(Result result, @Nullable Source source, int weightLog2, int flags) {
    return OperationRecord.pack(Operation.GET, result, source, null, weightLog2, flags);
  }

  private static int load(boolean success) {
    Result result = success ? Result.SUCCESS : Result.FAILURE;
    return OperationRecord.pack(Operation.LOAD, result, Source.FRESH, null, 0, 0);
  }

  private static int plain(Operation operation, Result result, @Nullable Source source) {
    return OperationRecord.pack(operation, result, source, null, 0, 0);
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
    counters.count(result, source);
    int bits = plain(operation, result, source);
    if (keep(bits, startNanos, key, sizeBytes) && followsForSizing(operation, result)) {
      sample(key, bits);
    }
  }

  /** Whether sizing follows an operation: a lookup that hit or missed, a write, a removal. */
  private static boolean followsForSizing(Operation operation, Result result) {
    return switch (operation) {
      case GET -> result == Result.HIT || result == Result.MISS;
      case SET, DELETE, CLEAR -> result != Result.ERROR;
      default -> false;
    };
  }

  /**
   * Opens a scope that times one operation until it is closed: the seed design's {@code
   * track_operation}. Reads the clock at once; a hit is kept in the history when the thread's
   * timing budget picks it (as {@link #startLookup} would), every other result always. When the
   * monitor is disabled, returns a shared scope that records nothing.
   */
  public OperationScope track(Operation operation, @Nullable Object key) {
    if (!enabled) {
      return OperationScope.DISABLED;
    }
    long start = timing ? ticker.read() : NOT_TIMED;
    int stripe = counters.stripe();
    boolean keepHit = budget.draw(stripe);
    if (keepHit && timing) {
      budget.timed(stripe, start);
    }
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
    counters.count(result, source);
    int bits = plain(operation, result, source);
    boolean kept = true;
    if (chosen || result != Result.HIT) {
      int weightLog2 = result == Result.HIT ? budget.weightLog2(counters.stripe()) : 0;
      int flags =
          chosen && operation == Operation.GET ? OperationRecord.SAMPLED : OperationRecord.NO_FLAGS;
      kept =
          keep(
              OperationRecord.pack(operation, result, source, null, weightLog2, flags),
              startNanos,
              key,
              sizeBytes);
    }
    if (kept && followsForSizing(operation, result)) {
      sample(key, bits);
    }
  }

  /** Counts a failure inside monitoring, logs the first one, and never throws. */
  void fault(Throwable t) {
    counters.fault();
    if (faultLogged.compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cachescope: monitoring fault in cache '"
              + name
              + "', swallowed; later faults are counted in monitoring_faults, not logged",
          t);
    }
  }

  /**
   * Reports what one load cost in tokens (a language-model call, say), so that snapshots can say
   * what hits saved: {@code tokens_saved} is hits times the mean tokens per reported load. Call it
   * once per load that spent tokens. Thread-safe; not for the hot path of a hit.
   */
  public void recordLoadTokens(long tokens) {
    if (enabled && tokens >= 0) {
      insights.recordLoadTokens(tokens);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The reading side: each reader drains through RecordDrain, then builds its view.
  // ---------------------------------------------------------------------------------------------

  /**
   * The newest {@code limit} operations in the history, oldest first (the seed design's {@code
   * get_recent_operations}). Drains pending records first.
   */
  public List<CacheOperation> recentOperations(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    return drain.drain(
        ticker.read(),
        counts -> {
          List<CacheOperation> recent = new ArrayList<>(Math.min(limit, history.size() + 64));
          history.replayNewest(
              limit,
              (end, d, bits, hash, size, key) ->
                  recent.add(decoder.operation(end, d, bits, hash, size, key)));
          return recent;
        });
  }

  /** The number of operations the history can hold. */
  public int historyCapacity() {
    return history.capacity();
  }

  /** A consistent view of the cache now. Drains pending records and rolls the windows first. */
  public CacheSnapshot snapshot() {
    long now = ticker.read();
    // The inspector runs the cache's code, so it is read before the drain lock is taken; so is
    // the memory probe, which samples entries through it (not again when it just threw).
    CacheBinding.Reading cache = inspectCache();
    if (cache == null) {
      cache = CacheBinding.Reading.NONE;
    } else if (cache.memoryBytes() < 0) {
      memory.measureIfDue(now);
    }
    CacheBinding.Reading inspected = cache;
    return drain.drain(
        now, counts -> assembler.snapshot(now, counts, inspected, memory.estimate(), enabled));
  }

  /**
   * The cache's time series over the last hour: one point per window sample (every 5 s unless
   * {@link Builder#windowResolution} says otherwise) whose end is after {@code afterEpochSeconds},
   * oldest first. Pass 0 for all of it, or the last point's timestamp to get only newer points.
   * Drains pending records first. Thread-safe.
   */
  public List<SeriesPoint> series(double afterEpochSeconds) {
    return drain.drain(ticker.read(), counts -> assembler.series(afterEpochSeconds));
  }

  /**
   * The cache's latency heatmap over the last hour: for each window point whose end is after {@code
   * afterEpochSeconds}, oldest first, its lookup and load times over the fixed buckets. The points
   * have the timestamps of {@link #series}'s. Drains pending records first. Thread-safe.
   */
  public List<HistogramPoint> histogramSeries(double afterEpochSeconds) {
    return drain.drain(ticker.read(), counts -> assembler.histograms(afterEpochSeconds));
  }

  /**
   * Drains pending records into the history and histograms and rolls the windows. The aggregator's
   * publisher calls this periodically; a monitor that no aggregator holds drains when it is read.
   */
  void publish() {
    long now = ticker.read();
    drain.drain(now);
    memory.measureIfDue(now);
  }

  boolean isCacheCollected() {
    CacheBinding<?> b = binding;
    return b != null && b.isCollected();
  }

  void attach(MetricsAggregator aggregator) {
    drain.attach(aggregator);
  }

  void detach(MetricsAggregator aggregator) {
    drain.detach(aggregator);
  }

  /** What the inspector says of the cache; null when it threw (a fault, counted). */
  private CacheBinding.@Nullable Reading inspectCache() {
    CacheBinding<?> b = binding;
    if (b == null) {
      return CacheBinding.Reading.NONE;
    }
    try {
      return b.read();
    } catch (Throwable t) {
      fault(t); // counted before the drain sums the counters
      return null;
    }
  }

  /** Configures a {@link CacheMonitor}. Not thread-safe; build once. */
  public static final class Builder {
    private final String name;
    private boolean enabled = true;
    private int hitSampleRate = 1 << 20;
    private int maxOperationsHistory = 10_000;
    private boolean trackKeys;
    private boolean timing = true;
    private Ticker ticker = Ticker.system();
    private Duration windowResolution = Duration.ofSeconds(5);
    private @Nullable CacheBinding<?> binding;
    private int sizingSampleRate = 1;
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
     * The fewest lookups timed: at least one in {@code rate} (a power of two between 1 and 2^20);
     * default 2^20. Each thread times every lookup while it makes few (under about 4,000 a second)
     * and fewer as its rate grows, down to one in {@code rate}; 1 times every lookup.
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
    public Builder maxOperationsHistory(int size) {
      if (size < 0 || size > 10_000_000) {
        throw new IllegalArgumentException(
            "maxOperationsHistory must be between 0 and 10000000, was " + size);
      }
      this.maxOperationsHistory = size;
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

    /** Whether to read the clock at all (the seed design's {@code track_timing}); default true. */
    public Builder trackTiming(boolean timing) {
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
     * Follows one key in {@code rate} at first for sizing advice ({@link CacheSnapshot#sizing()}):
     * every lookup, write and removal of those keys feeds the curves. A power of two from 1 to
     * 1,048,576, or 0 to turn sizing advice off; default 1 (every key, until there are many). The
     * rate halves by itself when more than 8,192 keys are followed, which bounds the estimator's
     * memory (under 1 MB), and falls further when a thread's samples would outrun their budget
     * (about 5,000 a second beyond what the publisher drains). The hot-path cost is a hash and a
     * compare per operation, plus staging each sample.
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
          new CacheBinding<>(
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
