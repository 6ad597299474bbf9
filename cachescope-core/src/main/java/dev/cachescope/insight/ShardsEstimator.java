package dev.cachescope.insight;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.HdrHistogram.Histogram;

/**
 * Estimates a cache's LRU miss-ratio curve online from spatially sampled keys: SHARDS (Waldspurger
 * et al., FAST 2015), fixed-size variant.
 *
 * <p>A key is sampled when its mixed hash falls below a threshold, so every reference to a sampled
 * key is seen and none to the others. For each reference to a sampled key the estimator computes
 * the exact LRU stack distance among sampled keys (the distinct sampled keys referenced since its
 * previous reference, counted in a Fenwick tree over reference times) and scales it by the inverse
 * sampling rate. The hit ratio at size {@code C} is then the share of references whose scaled
 * distance is below {@code C}; first references are cold misses at every size.
 *
 * <p>Memory is bounded: when more than {@code maxSampledKeys} keys are sampled, the rate halves and
 * the keys above the new threshold are forgotten, so the kept set is exactly what the lower rate
 * would have sampled. Any thread may also {@link #exclude} one key when it cannot deliver that
 * key's reference: the key joins a small set of excluded keys and is forgotten at its next
 * reference, so each sampled key is seen at every reference or not at all, and the rate stays as it
 * was. Only when that set is full ({@value #MAX_EXCLUDED} keys) does an exclusion lower the
 * threshold below the key instead, forgetting it and every key above it. Distances are kept in an
 * HdrHistogram (two significant digits). With every key sampled (rate 1) and none excluded the
 * curve is exact.
 *
 * <p>{@link #sampled(int)} and {@link #exclude(int)} are safe to call from any thread; everything
 * else is for one thread at a time.
 */
public final class ShardsEstimator {
  private static final int HASH_BITS = 24;
  private static final int FULL = 1 << HASH_BITS;
  private static final int INITIAL_TABLE = 64;

  /** Reference weights are kept in units of 1/256 of a reference, so that any rate is exact. */
  private static final int UNITS = 256;

  /** Clock times are kept in ticks of 2^20 ns. */
  private static final int TICK_SHIFT = 20;

  /** No key: for {@link #rebuild}'s {@code without}. */
  private static final long NONE = -1L;

  /** The most keys excluded one by one, in a set of twice as many slots. */
  static final int MAX_EXCLUDED = 256;

  private static final int EXCLUDED_SLOTS = MAX_EXCLUDED * 2;
  private static final int EXCLUDED_PROBES = 16;

  private static final VarHandle THRESHOLD;

  static {
    try {
      THRESHOLD =
          MethodHandles.lookup().findVarHandle(ShardsEstimator.class, "threshold", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int maxSampledKeys;

  // Keys excluded one by one: their 24-bit sampling value plus one (0 is a free slot), in an
  // open-addressing set that any thread adds to with a compare-and-set and that is never emptied.
  private final AtomicIntegerArray excluded = new AtomicIntegerArray(EXCLUDED_SLOTS);
  private final AtomicInteger excludedCount = new AtomicInteger();

  /**
   * Sample when {@code mix(hash) >>> 8 < threshold}; {@code rate = threshold / 2^24}. Only ever
   * lowered, by any thread.
   */
  @SuppressWarnings("UnusedVariable") // written through THRESHOLD
  private volatile int threshold;

  /** The threshold the kept keys were last filtered by; the feeding thread's copy. */
  private int applied;

  /** What one sampled reference stands for, in {@link #UNITS}. */
  private long weightUnits;

  /** The inverse sampling rate, which scales stack distances. */
  private double scale;

  // Open-addressing map from sampled (mixed) key to its last reference: its logical time (the
  // Fenwick index, 0 for a free slot) and its clock time in ticks of 2^20 ns (about 1 ms), which
  // wrap after 52 days. Twelve bytes a slot.
  private int[] tableKeys;
  private int[] tableTimes;
  private int[] tableTicks;
  private int keyCount;

  /** Fenwick tree over reference times: 1 where some key's last reference is. */
  private int[] fenwick;

  private long clock;

  private final Histogram distances = new Histogram(2);
  private long coldMisses;
  private long references;
  private long lastReuseNanos = -1;

  /**
   * @param maxSampledKeys the most keys kept; at least 16
   * @param initialRateLog2 start by sampling one key in {@code 2^initialRateLog2} (0 = every key)
   */
  public ShardsEstimator(int maxSampledKeys, int initialRateLog2) {
    if (maxSampledKeys < 16) {
      throw new IllegalArgumentException(
          "maxSampledKeys must be at least 16, was " + maxSampledKeys);
    }
    if (initialRateLog2 < 0 || initialRateLog2 > 20) {
      throw new IllegalArgumentException(
          "initialRateLog2 must be from 0 to 20, was " + initialRateLog2);
    }
    this.maxSampledKeys = maxSampledKeys;
    this.threshold = FULL >>> initialRateLog2;
    tableKeys = new int[INITIAL_TABLE];
    tableTimes = new int[INITIAL_TABLE];
    tableTicks = new int[INITIAL_TABLE];
    fenwick = new int[INITIAL_TABLE * 2 + 1];
    apply(FULL >>> initialRateLog2);
  }

  /**
   * Mixes a key's hash code so that sampling is spatially uniform: Fibonacci hashing, one multiply
   * by 2^32/φ, a bijection whose top bits (those sampling compares) depend on every bit of the hash
   * code. One multiply because every lookup of a monitored cache pays for it.
   */
  public static int mix(int hash) {
    return hash * 0x9E3779B9;
  }

  /**
   * Where a mixed key starts probing in a table of {@code mask + 1} slots: MurmurHash3's finaliser,
   * because a product's low bits depend on the hash code's low bits only (keys that are multiples
   * of 1,024 would share their ten low bits). Runs on the feeding thread, not the hot path.
   */
  private static int scatter(int mixedKey, int mask) {
    int h = mixedKey;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & mask;
  }

  /** Whether references to the key with this hash code are sampled. One read, no allocation. */
  public boolean sampled(int hashCode) {
    return (mix(hashCode) >>> 8) < (int) THRESHOLD.getOpaque(this);
  }

  /**
   * Stops following the key with this hash code: for a producer that cannot deliver one of that
   * key's references. The key joins the excluded set, or, when that set is full, the threshold is
   * lowered below it (so every key above it is dropped too; it never falls below one in 2^24). Any
   * thread; lock-free. The feeding thread drops the key's kept state at its next reference.
   */
  public void exclude(int hashCode) {
    int value = mix(hashCode) >>> 8;
    if (!addExcluded(value + 1)) {
      lowerTo(Math.max(1, value));
    }
  }

  /** Keys excluded one by one ({@link #exclude}); at most {@value #MAX_EXCLUDED}. */
  public int excludedKeys() {
    return excludedCount.get();
  }

  /**
   * Whether the references to the key with this hash code are taken: it is {@link #sampled} and not
   * excluded. For the feeding thread, which this call lets drop an excluded key's kept state.
   */
  public boolean follows(int hashCode) {
    return followsMixed(mix(hashCode));
  }

  /**
   * Halves the sampling rate: for a producer whose samples outrun their budget. Any thread;
   * lock-free; the kept state of the keys no longer sampled is dropped by the feeding thread at its
   * next call.
   */
  public void halveRate() {
    lowerTo((int) THRESHOLD.getOpaque(this) >>> 1);
  }

  /** The current sampling rate, from 2^-24 to 1. */
  public double rate() {
    return (double) (int) THRESHOLD.getOpaque(this) / FULL;
  }

  /**
   * Records a reference to a key; ignores keys that are not {@link #sampled}.
   *
   * @param hashCode the key's hash code
   * @param timeNanos when the reference happened, on any fixed clock ({@link #lastReuseNanos})
   * @return the reference's scaled stack distance, -1 for a first reference or an unsampled key
   */
  public long access(int hashCode, long timeNanos) {
    lastReuseNanos = -1;
    int key = mix(hashCode);
    if (!followsMixed(key)) {
      return -1;
    }
    references += weightUnits;
    int slot = find(key);
    long distance;
    if (tableTimes[slot] != 0) {
      long previous = tableTimes[slot];
      long between = prefix(clock) - prefix(previous);
      lastReuseNanos = ((ticks(timeNanos) - tableTicks[slot]) & 0xFFFF_FFFFL) << TICK_SHIFT;
      distance = Math.round(between * scale);
      distances.recordValueWithCount(distance, weightUnits);
    } else {
      coldMisses += weightUnits;
      distance = -1;
    }
    moveToFront(slot, key, timeNanos);
    return distance;
  }

  /**
   * Makes the key the most recently used without counting a reference: a write, which places the
   * value in an LRU cache but is not a lookup. Ignores keys that are not {@link #sampled}.
   */
  public void touch(int hashCode, long timeNanos) {
    int key = mix(hashCode);
    if (followsMixed(key)) {
      moveToFront(find(key), key, timeNanos);
    }
  }

  /** Forgets the key, so its next reference is a first reference: an explicit removal. */
  public void forget(int hashCode) {
    int key = mix(hashCode);
    if (!followsMixed(key)) {
      return;
    }
    int slot = find(key);
    if (tableTimes[slot] != 0) {
      add(tableTimes[slot], -1);
      rebuild(tableKeys.length, applied, key & 0xFFFF_FFFFL);
    }
  }

  /** Forgets every key: the cache was cleared. */
  public void forgetAll() {
    rebuild(tableKeys.length, 0, NONE);
  }

  /**
   * The estimated LRU hit ratio (hits / all references, first references counted as misses) at each
   * of {@code sizes}, NaN for all when no reference was sampled yet.
   *
   * @param totalReferences every reference made, sampled or not, when known (else 0). Sampling can
   *     catch more or fewer references than its rate promises (a hot key sampled or missed by
   *     chance); SHARDS-adj counts the difference as hits at the smallest distance, which corrects
   *     most of the error at small sizes.
   */
  public double[] hitRatios(long[] sizes, long totalReferences) {
    long total = totalReferences > 0 ? totalReferences * UNITS : references;
    long adjustment = total - references;
    double[] ratios = new double[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      if (references == 0) {
        ratios[i] = Double.NaN;
      } else if (sizes[i] <= 0) {
        ratios[i] = 0;
      } else {
        long hits = distances.getCountBetweenValues(0, sizes[i] - 1) + adjustment;
        ratios[i] = Math.max(0.0, Math.min(1.0, (double) hits / total));
      }
    }
    return ratios;
  }

  /**
   * The time since the previous reference to the key of the last {@link #access}, or -1 when that
   * was a first reference or an unsampled key.
   */
  public long lastReuseNanos() {
    return lastReuseNanos;
  }

  /** How many references one sampled reference now stands for: the inverse sampling rate. */
  public double weight() {
    return (double) weightUnits / UNITS;
  }

  /** Estimated references seen: sampled references scaled by their sampling rate. */
  public long references() {
    return references / UNITS;
  }

  /** Keys currently sampled. */
  public int sampledKeys() {
    return keyCount;
  }

  /** Estimated first references (cold misses). */
  public long coldMisses() {
    return coldMisses / UNITS;
  }

  /**
   * Whether the mixed key is sampled, after dropping the keys that a threshold lowered since the
   * last call no longer samples.
   */
  private boolean followsMixed(int mixedKey) {
    int now = (int) THRESHOLD.getOpaque(this);
    if (now != applied) {
      apply(now);
      rebuild(tableKeys.length, now, NONE);
    }
    if ((mixedKey >>> 8) >= now) {
      return false;
    }
    if (excludedCount.get() != 0 && isExcluded((mixedKey >>> 8) + 1)) {
      drop(mixedKey);
      return false;
    }
    return true;
  }

  /** Forgets an excluded key's kept state, when it has one. */
  private void drop(int mixedKey) {
    int slot = find(mixedKey);
    if (tableTimes[slot] != 0) {
      add(tableTimes[slot], -1);
      rebuild(tableKeys.length, applied, mixedKey & 0xFFFF_FFFFL);
    }
  }

  private boolean addExcluded(int entry) {
    return inExcluded(entry, true);
  }

  private boolean isExcluded(int entry) {
    return inExcluded(entry, false);
  }

  /**
   * Whether {@code entry} is in the excluded set, after adding it when {@code add} and the set has
   * room. Any thread: a free slot is taken with a compare-and-set.
   */
  private boolean inExcluded(int entry, boolean add) {
    int slot = excludedSlot(entry);
    for (int probe = 0; probe < EXCLUDED_PROBES; ) {
      int present = excluded.get(slot);
      if (present == entry) {
        return true;
      }
      if (present == 0) {
        if (!add || excludedCount.get() >= MAX_EXCLUDED) {
          return false;
        }
        if (excluded.compareAndSet(slot, 0, entry)) {
          excludedCount.incrementAndGet();
          return true;
        }
        continue; // lost the slot to another key: look at it again
      }
      slot = (slot + 1) & (EXCLUDED_SLOTS - 1);
      probe++;
    }
    return false;
  }

  private static int excludedSlot(int entry) {
    return (entry * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(EXCLUDED_SLOTS));
  }

  private void apply(int newThreshold) {
    applied = newThreshold;
    scale = (double) FULL / newThreshold;
    weightUnits = Math.max(1, Math.round(UNITS * scale));
  }

  /** Makes the slot's key the most recent, inserting it when the slot is free. */
  private void moveToFront(int slot, int key, long timeNanos) {
    if (clock + 1 >= fenwick.length) {
      compact(); // renumbers times only: slots stay where they are
    }
    if (tableTimes[slot] != 0) {
      add(tableTimes[slot], -1);
    } else {
      tableKeys[slot] = key;
      keyCount++;
    }
    long now = ++clock;
    tableTimes[slot] = (int) now;
    tableTicks[slot] = ticks(timeNanos);
    add(now, 1);
    if (keyCount > maxSampledKeys) {
      lowerTo(applied >>> 1);
      followsMixed(key);
    } else if (keyCount * 2 > tableKeys.length) {
      rebuild(tableKeys.length * 2, applied, NONE);
    }
  }

  private void lowerTo(int wanted) {
    int current = (int) THRESHOLD.getOpaque(this);
    int target = Math.max(1, wanted);
    while (target < current) {
      int witness = (int) THRESHOLD.compareAndExchange(this, current, target);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  private static int ticks(long nanos) {
    return (int) (nanos >> TICK_SHIFT);
  }

  private int find(int key) {
    int mask = tableKeys.length - 1;
    int slot = scatter(key, mask);
    while (tableTimes[slot] != 0 && tableKeys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /**
   * Renumbers the live reference times 1..n in order, so the Fenwick tree has room again; grows it
   * so that at least n references fit before the next compaction (amortised O(log n) each).
   */
  private void compact() {
    long[] order = new long[keyCount];
    int n = 0;
    for (int i = 0; i < tableKeys.length; i++) {
      if (tableTimes[i] != 0) {
        order[n++] = (long) tableTimes[i] << 32 | i;
      }
    }
    Arrays.sort(order, 0, n);
    if (n * 2 + 2 > fenwick.length) {
      fenwick = new int[n * 2 + 2];
    } else {
      Arrays.fill(fenwick, 0);
    }
    clock = 0;
    for (int j = 0; j < n; j++) {
      int slot = (int) order[j];
      tableTimes[slot] = (int) ++clock;
      add(clock, 1);
    }
  }

  /**
   * Rehashes the kept keys into a table of {@code size} slots, dropping those at or above {@code
   * limit} (mixed hash shifted right by 8), whose reference times it releases, and the one key
   * equal to {@code without} (unsigned; {@link #NONE} for none), whose time the caller released.
   */
  private void rebuild(int size, int limit, long without) {
    int[] oldKeys = tableKeys;
    int[] oldTimes = tableTimes;
    int[] oldTicks = tableTicks;
    tableKeys = new int[size];
    tableTimes = new int[size];
    tableTicks = new int[size];
    keyCount = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldTimes[i] == 0 || (oldKeys[i] & 0xFFFF_FFFFL) == without) {
        continue;
      }
      if ((oldKeys[i] >>> 8) >= limit) {
        add(oldTimes[i], -1);
        continue;
      }
      int slot = find(oldKeys[i]);
      tableKeys[slot] = oldKeys[i];
      tableTimes[slot] = oldTimes[i];
      tableTicks[slot] = oldTicks[i];
      keyCount++;
    }
  }

  private void add(long index, int delta) {
    for (long i = index; i < fenwick.length; i += i & -i) {
      fenwick[(int) i] += delta;
    }
  }

  private long prefix(long index) {
    long sum = 0;
    for (long i = index; i > 0; i -= i & -i) {
      sum += fenwick[(int) i];
    }
    return sum;
  }
}
