package dev.cachescope;

import dev.cachescope.insight.ReuseTimes;
import dev.cachescope.insight.ShardsEstimator;
import dev.cachescope.internal.OperationRecord;
import dev.cachescope.internal.RecordSink;
import dev.cachescope.internal.StagingBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Sizing advice's input, kept lossless: every reference (lookup, write, removal) to a sampled key
 * reaches the estimators, or none does.
 *
 * <p>Keys are sampled by hash (SHARDS). The hot path stages a sampled key's references in a
 * per-stripe ring of its own, apart from the history's. When that ring is full the caller drains it
 * itself under the sizing lock, as Caffeine's writers run its maintenance when its write buffer is
 * full: it waits while another thread holds the lock, which the publisher holds for {@value #CHUNK}
 * records at a time and a caller for one ring. Only if that wait passes {@value #HELP_WAIT_MICROS}
 * µs (a publisher descheduled on a busy machine, or a collection) does it give up that key ({@link
 * ShardsEstimator#exclude}): the key is no longer followed and is forgotten, while the sampling
 * rate stays; only when too many keys were given up one by one is the threshold lowered below it.
 * What callers drain is charged to a token bucket per stripe: a burst of {@value #BURST} samples (a
 * whole public trace replayed at full speed fits), then {@value #RATE_PER_SECOND} a second; each
 * drain past the budget halves the sampling rate. So a busy thread settles at what the publisher
 * drains plus the budget, and sizing's cost to it stays bounded whatever its rate.
 *
 * <p>The references feed the LRU estimator and, when the cache's policy has a {@link SizingModel},
 * one miniature cache of that policy per size multiplier. Everything but {@link #offer} runs under
 * the sizing lock; {@link #offer} takes it only with {@code tryLock}.
 */
final class SizingFeed {
  static final double[] SIZE_MULTIPLIERS = {0.25, 0.5, 1, 2, 4};
  private static final double[] TTL_MULTIPLIERS = {2, 4, 8};
  private static final int RING = 1024;
  private static final long BURST = 262_144;
  private static final long RATE_PER_SECOND = 5_000;
  private static final int OFFER_TRIES = 4;
  private static final long HELP_WAIT_MICROS = 10_000;
  private static final int CHUNK = 128;
  private static final int FULL = 1 << 24;
  private static final int MAX_MINIATURE = 8_192;

  /** One stripe's ring and its budget of samples that callers may drain themselves. */
  private static final class Lane {
    final StagingBuffer ring = new StagingBuffer(RING, false);
    long tokens = BURST;
    long refilledNanos;
    boolean refilled;
  }

  private final ShardsEstimator lru;
  private final Consumer<Throwable> faults;
  private final AtomicReferenceArray<@Nullable Lane> lanes;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReuseTimes missReuse = new ReuseTimes();
  private final RecordSink sink = this::accept;
  private volatile @Nullable SizingModel model;

  // The cache's real outcomes on the sampled lookups, weighted: since the start, for the LRU
  // curve, and since the miniatures were built, for the model's.
  private double lookups;
  private double hits;

  private SizingModel.Miniature @Nullable [] miniatures;
  private @Nullable SizingModel simulated;
  private long simulatedCapacity;
  private int miniatureThreshold;
  private double simulatedLookups;
  private double simulatedRealHits;
  private double[] simulatedHits = new double[SIZE_MULTIPLIERS.length];

  /**
   * @param initialRateLog2 follow one key in {@code 2^initialRateLog2} at first
   * @param maxKeys the most keys followed
   * @param stripes how many stripes, and so rings, there are
   * @param faults where failures of a model are reported (counted, never thrown)
   */
  SizingFeed(int initialRateLog2, int maxKeys, int stripes, Consumer<Throwable> faults) {
    this.lru = new ShardsEstimator(maxKeys, initialRateLog2);
    this.lanes = new AtomicReferenceArray<>(stripes);
    this.faults = faults;
  }

  /** Whether the key with this hash is sampled: one multiply and one compare. Any thread. */
  boolean sampled(int keyHash) {
    return lru.sampled(keyHash);
  }

  /**
   * Simulates {@code policy} from the next reference on, instead of LRU only; builds its miniatures
   * now, on the caller's thread (an adapter's, at build time), so that the first drain does not pay
   * for loading the policy's classes. Any thread.
   */
  void simulate(SizingModel policy) {
    model = policy;
    lock.lock();
    try {
      miniatures();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stages one reference to a sampled key: a lookup ({@code bits} of a GET, with its result), a
   * write or a removal; or a clear, whatever the key. Hot path: lock-free but for the bounded help
   * described in the class comment; never throws for a valid record.
   */
  void offer(int stripe, long nowNanos, int bits, int keyHash) {
    Lane lane = lane(stripe);
    if (stage(lane, nowNanos, bits, keyHash)) {
      return;
    }
    if (lockForHelp()) {
      try {
        if (!spend(lane, nowNanos, lane.ring.drainTo(sink))) {
          lru.halveRate(); // over budget: follow half as many keys from now on
        }
      } finally {
        lock.unlock();
      }
      if (stage(lane, nowNanos, bits, keyHash)) {
        return;
      }
    }
    if (OperationRecord.operation(bits) != Operation.CLEAR) {
      lru.exclude(keyHash);
    }
  }

  /**
   * Drains every ring into the estimators; reading side. Takes the lock for {@value #CHUNK} records
   * at a time, so that a caller waiting to drain its own full ring waits for one chunk at most.
   */
  void drain() {
    for (int i = 0; i < lanes.length(); i++) {
      Lane lane = lanes.get(i);
      int drained = CHUNK;
      while (lane != null && drained == CHUNK) {
        lock.lock();
        try {
          drained = lane.ring.drainTo(sink, CHUNK);
        } catch (Throwable t) {
          faults.accept(t);
          drained = 0;
        } finally {
          lock.unlock();
        }
      }
    }
    lock.lock();
    try {
      SizingModel.Miniature[] minis = miniatures;
      SizingModel current = simulated;
      if (minis != null && current != null && current.capacity() != simulatedCapacity) {
        resize(minis, current.capacity());
      }
    } catch (Throwable t) {
      faults.accept(t);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sizing and TTL advice at multiples of {@code currentSize}. {@code gets} are all lookups counted
   * (for SHARDS' adjustment of the LRU curve). Drain first.
   */
  SizingAdvice advice(long currentSize, boolean isCapacity, long ttlNanos, long gets) {
    lock.lock();
    try {
      long[] sizes = new long[SIZE_MULTIPLIERS.length];
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = Math.max(1, Math.round(currentSize * SIZE_MULTIPLIERS[i]));
      }
      double[] lruRatios = lru.hitRatios(sizes, gets);
      List<SizingAdvice.SizePoint> lruCurve = curve(sizes, lruRatios);
      double measured = lookups == 0 ? Double.NaN : hits / lookups;
      List<SizingAdvice.SizePoint> curve = lruCurve;
      String modelName = "lru";
      double modelError = lruRatios[2] - measured;
      SizingModel current = simulated;
      if (miniatures != null && current != null && simulatedLookups > 0) {
        double[] ratios = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
          sizes[i] = Math.max(1, Math.round(simulatedCapacity * SIZE_MULTIPLIERS[i]));
          ratios[i] = simulatedHits[i] / simulatedLookups;
        }
        curve = curve(sizes, ratios);
        modelName = current.name();
        modelError = ratios[2] - simulatedRealHits / simulatedLookups;
      }
      return new SizingAdvice(
          currentSize,
          isCapacity ? "capacity" : "entries",
          lru.rate(),
          lru.sampledKeys(),
          lru.references(),
          modelName,
          curve,
          InsightFeed.finite(modelError),
          lruCurve,
          ttlAdvice(ttlNanos));
    } finally {
      lock.unlock();
    }
  }

  private static List<SizingAdvice.SizePoint> curve(long[] sizes, double[] ratios) {
    List<SizingAdvice.SizePoint> points = new ArrayList<>(sizes.length);
    for (int i = 0; i < sizes.length; i++) {
      points.add(
          new SizingAdvice.SizePoint(SIZE_MULTIPLIERS[i], sizes[i], InsightFeed.finite(ratios[i])));
    }
    return List.copyOf(points);
  }

  private SizingAdvice.@Nullable TtlAdvice ttlAdvice(long ttlNanos) {
    if (ttlNanos <= 0 || missReuse.misses() == 0) {
      return null;
    }
    long ttlMillis = ttlNanos / 1_000_000;
    List<SizingAdvice.TtlOption> options = new ArrayList<>();
    for (double m : TTL_MULTIPLIERS) {
      long longer = Math.round(ttlMillis * m);
      options.add(
          new SizingAdvice.TtlOption(m, longer / 1000.0, missReuse.avoidedBy(ttlMillis, longer)));
    }
    long p50 = missReuse.reuseMillisAt(50);
    return new SizingAdvice.TtlAdvice(
        ttlNanos / 1e9, p50 < 0 ? null : p50 / 1000.0, List.copyOf(options));
  }

  /** One drained reference; under the sizing lock. */
  private void accept(
      long endNanos, long duration, int bits, int keyHash, long size, @Nullable Object key) {
    Operation operation = OperationRecord.operation(bits);
    if (operation == Operation.CLEAR) {
      lru.forgetAll();
      simulate(m -> m.clear(), 0, true);
      return;
    }
    if (!lru.follows(keyHash)) {
      // Not sampled (any more), or excluded after one of its references was lost: the key is
      // forgotten, and so are its references.
      if (lru.sampled(keyHash)) {
        simulate(m -> m.remove(keyHash), keyHash, false);
      }
      return;
    }
    double weight = lru.weight();
    switch (operation) {
      case GET -> {
        boolean hit = OperationRecord.result(bits) == Result.HIT;
        lru.access(keyHash, endNanos);
        lookups += weight;
        if (hit) {
          hits += weight;
        } else {
          missReuse.miss(lru.lastReuseNanos(), Math.round(weight));
        }
        lookupMiniatures(keyHash, hit);
      }
      case SET -> {
        lru.touch(keyHash, endNanos);
        simulate(m -> m.put(keyHash), keyHash, false);
      }
      case DELETE -> {
        lru.forget(keyHash);
        simulate(m -> m.remove(keyHash), keyHash, false);
      }
      default -> {}
    }
  }

  private void lookupMiniatures(int keyHash, boolean realHit) {
    SizingModel.Miniature[] minis = miniatures();
    if (minis == null || !simulates(keyHash)) {
      return;
    }
    double weight = (double) FULL / miniatureThreshold;
    try {
      simulatedLookups += weight;
      if (realHit) {
        simulatedRealHits += weight;
      }
      for (int i = 0; i < minis.length; i++) {
        if (minis[i].lookup(keyHash)) {
          simulatedHits[i] += weight;
        }
      }
    } catch (Throwable t) {
      abandon(t);
    }
  }

  private void simulate(Consumer<SizingModel.Miniature> step, int keyHash, boolean anyKey) {
    SizingModel.Miniature[] minis = miniatures();
    if (minis == null || (!anyKey && !simulates(keyHash))) {
      return;
    }
    try {
      for (SizingModel.Miniature m : minis) {
        step.accept(m);
      }
    } catch (Throwable t) {
      abandon(t);
    }
  }

  /**
   * The miniatures, built on the first reference after a model was given, and rescaled when the
   * sample rate fell; null while there is no model (or it failed).
   */
  @SuppressWarnings("ReferenceEquality") // a model given anew is a new model, whatever it equals
  private SizingModel.Miniature @Nullable [] miniatures() {
    SizingModel wanted = model;
    if (wanted == null) {
      return null;
    }
    try {
      SizingModel.Miniature[] minis = miniatures;
      if (minis == null || wanted != simulated) {
        long capacity = wanted.capacity();
        if (capacity <= 0) {
          return null;
        }
        simulated = wanted;
        simulatedCapacity = capacity;
        miniatureThreshold = miniatureThreshold(capacity);
        simulatedLookups = 0;
        simulatedRealHits = 0;
        simulatedHits = new double[SIZE_MULTIPLIERS.length];
        minis = new SizingModel.Miniature[SIZE_MULTIPLIERS.length];
        for (int i = 0; i < minis.length; i++) {
          minis[i] = wanted.miniature(scaled(capacity, i, miniatureRate()));
        }
        miniatures = minis;
      } else if (miniatureThreshold(simulatedCapacity) != miniatureThreshold) {
        resize(minis, simulatedCapacity);
      }
      return minis;
    } catch (Throwable t) {
      abandon(t);
      return null;
    }
  }

  /**
   * Rescales the miniatures to the real cache's {@code capacity} and the rate that follows from it,
   * dropping the keys they no longer follow.
   */
  private void resize(SizingModel.Miniature[] minis, long capacity) {
    simulatedCapacity = capacity;
    int previous = miniatureThreshold;
    miniatureThreshold = miniatureThreshold(capacity);
    for (int i = 0; i < minis.length; i++) {
      minis[i].resize(scaled(capacity, i, miniatureRate()));
      if (miniatureThreshold < previous) {
        minis[i].retain(this::simulates);
      }
    }
  }

  /**
   * The miniatures follow a subset of the sampled keys: those under this threshold (on the
   * estimator's scale of 2^24), so that the largest miniature holds at most {@value #MAX_MINIATURE}
   * entries whatever the cache's size.
   */
  private int miniatureThreshold(long capacity) {
    double bound = MAX_MINIATURE / (capacity * SIZE_MULTIPLIERS[SIZE_MULTIPLIERS.length - 1]);
    return (int) Math.max(1, Math.floor(Math.min(lru.rate(), bound) * FULL));
  }

  private double miniatureRate() {
    return (double) miniatureThreshold / FULL;
  }

  /** Whether the miniatures follow the key with this hash (every reference to it, then). */
  private boolean simulates(int keyHash) {
    return (ShardsEstimator.mix(keyHash) >>> 8) < miniatureThreshold;
  }

  private static long scaled(long capacity, int multiplier, double rate) {
    return Math.max(1, Math.round(capacity * SIZE_MULTIPLIERS[multiplier] * rate));
  }

  /** A model that threw is dropped for good: the advice falls back to LRU. */
  private void abandon(Throwable t) {
    model = null;
    miniatures = null;
    simulated = null;
    faults.accept(t);
  }

  /**
   * Takes the sizing lock for a caller whose ring is full, waiting at most {@value
   * #HELP_WAIT_MICROS} µs; false when it could not.
   */
  private boolean lockForHelp() {
    try {
      return lock.tryLock() || lock.tryLock(HELP_WAIT_MICROS, TimeUnit.MICROSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Charges {@code drained} samples to the lane's bucket, refilled for the time since its last
   * charge; false when the bucket is empty.
   */
  private static boolean spend(Lane lane, long nowNanos, int drained) {
    if (lane.refilled) {
      long elapsed = Math.max(0, nowNanos - lane.refilledNanos);
      long earned = elapsed >= 1_000_000_000L ? BURST : elapsed * RATE_PER_SECOND / 1_000_000_000L;
      lane.tokens = Math.min(BURST, lane.tokens + earned);
    }
    lane.refilled = true;
    lane.refilledNanos = nowNanos;
    lane.tokens -= drained;
    return lane.tokens >= 0;
  }

  private static boolean stage(Lane lane, long nowNanos, int bits, int keyHash) {
    for (int i = 0; i < OFFER_TRIES; i++) {
      if (lane.ring.offer(nowNanos, -1, bits, keyHash, -1, null)) {
        return true;
      }
      if (lane.ring.isFull()) {
        return false;
      }
    }
    return false;
  }

  private Lane lane(int stripe) {
    Lane lane = lanes.get(stripe);
    if (lane != null) {
      return lane;
    }
    Lane created = new Lane();
    Lane raced = lanes.compareAndExchange(stripe, null, created);
    return raced == null ? created : raced;
  }
}
