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
 * itself, if the sizing lock is free and its stripe's budget allows; otherwise it lowers the
 * sampling threshold below the key it could not deliver ({@link ShardsEstimator#exclude}), so that
 * key, and every key above it, is no longer sampled and is forgotten. A caller whose ring is full
 * while another thread drains waits for the lock, within its budget, as Caffeine's writers wait for
 * its maintenance when its write buffer is full; the drain holds the lock for one ring at a time,
 * and the wait is cut off at {@value #HELP_WAIT_MICROS} µs. The budget is a token bucket per
 * stripe: a burst of {@value #BURST} samples (a whole trace replayed at full speed fits), then
 * {@value #RATE_PER_SECOND} a second on top of what the publisher drains. It bounds what sizing
 * costs callers and the publisher; beyond it the rate falls until the samples fit.
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
  private static final long RATE_PER_SECOND = 50_000;
  private static final int OFFER_TRIES = 4;
  private static final long HELP_WAIT_MICROS = 50_000;

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
  private double simulatedRate;
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

  /** Whether the key with this hash is sampled: one hash mix and one compare. Any thread. */
  boolean sampled(int keyHash) {
    return lru.sampled(keyHash);
  }

  /** Simulates {@code policy} from the next reference on, instead of LRU only. Any thread. */
  void simulate(SizingModel policy) {
    model = policy;
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
    if (hasBudget(lane, nowNanos) && lockForHelp()) {
      try {
        lane.tokens -= lane.ring.drainTo(sink);
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
   * Drains every ring into the estimators; reading side. Takes the lock for one ring at a time, so
   * that a caller waiting to drain its own full ring waits for one ring at most.
   */
  void drain() {
    for (int i = 0; i < lanes.length(); i++) {
      Lane lane = lanes.get(i);
      if (lane != null) {
        lock.lock();
        try {
          lane.ring.drainTo(sink);
        } catch (Throwable t) {
          faults.accept(t);
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
      simulate(m -> m.clear());
      return;
    }
    if (!lru.sampled(keyHash)) {
      return; // excluded after it was staged: its key is forgotten, so are its references
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
        lookupMiniatures(keyHash, hit, weight);
      }
      case SET -> {
        lru.touch(keyHash, endNanos);
        simulate(m -> m.put(keyHash));
      }
      case DELETE -> {
        lru.forget(keyHash);
        simulate(m -> m.remove(keyHash));
      }
      default -> {}
    }
  }

  private void lookupMiniatures(int keyHash, boolean realHit, double weight) {
    SizingModel.Miniature[] minis = miniatures();
    if (minis == null) {
      return;
    }
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

  private void simulate(Consumer<SizingModel.Miniature> step) {
    SizingModel.Miniature[] minis = miniatures();
    if (minis == null) {
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
        simulatedRate = lru.rate();
        simulatedCapacity = capacity;
        simulatedLookups = 0;
        simulatedRealHits = 0;
        simulatedHits = new double[SIZE_MULTIPLIERS.length];
        minis = new SizingModel.Miniature[SIZE_MULTIPLIERS.length];
        for (int i = 0; i < minis.length; i++) {
          minis[i] = wanted.miniature(scaled(capacity, i, simulatedRate));
        }
        miniatures = minis;
      } else if (lru.rate() != simulatedRate) {
        simulatedRate = lru.rate();
        resize(minis, simulatedCapacity);
        for (SizingModel.Miniature m : minis) {
          m.retain(lru::sampled);
        }
      }
      return minis;
    } catch (Throwable t) {
      abandon(t);
      return null;
    }
  }

  private void resize(SizingModel.Miniature[] minis, long capacity) {
    simulatedCapacity = capacity;
    for (int i = 0; i < minis.length; i++) {
      minis[i].resize(scaled(capacity, i, simulatedRate));
    }
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
   * #HELP_WAIT_MICROS} µs (the lock is held for one ring's drain at a time); false when it could
   * not.
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
   * Refills the lane's bucket for the time since its last refill; whether a ring's worth is left.
   */
  private static boolean hasBudget(Lane lane, long nowNanos) {
    if (lane.refilled) {
      long elapsed = Math.max(0, nowNanos - lane.refilledNanos);
      long earned = elapsed >= 1_000_000_000L ? BURST : elapsed * RATE_PER_SECOND / 1_000_000_000L;
      lane.tokens = Math.min(BURST, lane.tokens + earned);
    }
    lane.refilled = true;
    lane.refilledNanos = nowNanos;
    return lane.tokens >= RING;
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
