package dev.cachescope.insight;

import java.util.Arrays;
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
 * would have sampled. Distances are kept in an HdrHistogram (two significant digits). With every
 * key sampled (rate 1) the curve is exact.
 *
 * <p>{@link #sampled(int)} is safe to call from any thread (it reads one int); everything else is
 * for one thread at a time.
 */
public final class ShardsEstimator {
  private static final int HASH_BITS = 24;
  private static final int FULL = 1 << HASH_BITS;
  private static final int INITIAL_TABLE = 64;

  private final int maxSampledKeys;

  /** Sample when {@code mix(hash) >>> 8 < threshold}; {@code rate = threshold / 2^24}. */
  private volatile int threshold;

  /** log2 of the inverse rate: a sampled reference stands for {@code 2^scaleLog2}. */
  private int scaleLog2;

  // Open-addressing map from sampled (mixed) key to its last reference time.
  private int[] tableKeys;
  private long[] tableTimes;
  private long[] tableNanos;
  private boolean[] tableUsed;
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
    this.scaleLog2 = initialRateLog2;
    this.threshold = FULL >>> initialRateLog2;
    tableKeys = new int[INITIAL_TABLE];
    tableTimes = new long[INITIAL_TABLE];
    tableNanos = new long[INITIAL_TABLE];
    tableUsed = new boolean[INITIAL_TABLE];
    fenwick = new int[INITIAL_TABLE * 2 + 1];
  }

  /** Mixes a key's hash code (MurmurHash3's finaliser) so that sampling is spatially uniform. */
  public static int mix(int hash) {
    int h = hash;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /** Whether references to the key with this hash code are sampled. One read, no allocation. */
  public boolean sampled(int hashCode) {
    return (mix(hashCode) >>> 8) < threshold;
  }

  /** The current sampling rate, from 2^-20 to 1. */
  public double rate() {
    return (double) threshold / FULL;
  }

  /**
   * Records a reference to a key; ignores keys that are not {@link #sampled}.
   *
   * @param hashCode the key's hash code
   * @param timeNanos when the reference happened, on any fixed clock ({@link #lastReuseNanos})
   * @return the reference's scaled stack distance, -1 for a first reference or an unsampled key
   */
  public long access(int hashCode, long timeNanos) {
    int key = mix(hashCode);
    lastReuseNanos = -1;
    if ((key >>> 8) >= threshold) {
      return -1;
    }
    long weight = 1L << scaleLog2;
    references += weight;
    if (clock + 1 >= fenwick.length) {
      compact();
    }
    long now = ++clock;
    int slot = find(key);
    long distance;
    if (tableUsed[slot]) {
      long previous = tableTimes[slot];
      long between = prefix(now - 1) - prefix(previous);
      add(previous, -1);
      lastReuseNanos = Math.max(0, timeNanos - tableNanos[slot]);
      distance = between << scaleLog2;
      distances.recordValueWithCount(distance, weight);
    } else {
      tableUsed[slot] = true;
      tableKeys[slot] = key;
      keyCount++;
      coldMisses += weight;
      distance = -1;
    }
    tableTimes[slot] = now;
    tableNanos[slot] = timeNanos;
    add(now, 1);
    if (keyCount > maxSampledKeys) {
      halveRate();
    } else if (keyCount * 2 > tableKeys.length) {
      rebuild(tableKeys.length * 2, threshold);
    }
    return distance;
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
    long total = totalReferences > 0 ? totalReferences : references;
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
  public long weight() {
    return 1L << scaleLog2;
  }

  /** Estimated references seen: sampled references scaled by their sampling rate. */
  public long references() {
    return references;
  }

  /** Keys currently sampled. */
  public int sampledKeys() {
    return keyCount;
  }

  /** Estimated first references (cold misses). */
  public long coldMisses() {
    return coldMisses;
  }

  private int find(int key) {
    int mask = tableKeys.length - 1;
    int slot = key & mask;
    while (tableUsed[slot] && tableKeys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /**
   * Renumbers the live reference times 1..n in order, so the Fenwick tree has room again; grows it
   * so that at least 3n references fit before the next compaction.
   */
  private void compact() {
    long[] order = new long[keyCount];
    int n = 0;
    for (int i = 0; i < tableKeys.length; i++) {
      if (tableUsed[i]) {
        order[n++] = tableTimes[i] << 32 | i;
      }
    }
    Arrays.sort(order, 0, n);
    if (n * 4 + 1 > fenwick.length) {
      fenwick = new int[n * 4 + 1];
    } else {
      Arrays.fill(fenwick, 0);
    }
    clock = 0;
    for (int j = 0; j < n; j++) {
      int slot = (int) order[j];
      tableTimes[slot] = ++clock;
      add(clock, 1);
    }
  }

  /** Halves the rate and forgets the keys the lower rate would not have sampled. */
  private void halveRate() {
    threshold >>>= 1;
    scaleLog2++;
    rebuild(tableKeys.length, threshold);
  }

  /**
   * Rehashes the kept keys into a table of {@code size} slots, dropping those at or above {@code
   * limit}.
   */
  private void rebuild(int size, int limit) {
    int[] oldKeys = tableKeys;
    long[] oldTimes = tableTimes;
    long[] oldNanos = tableNanos;
    boolean[] oldUsed = tableUsed;
    tableKeys = new int[size];
    tableTimes = new long[size];
    tableNanos = new long[size];
    tableUsed = new boolean[size];
    keyCount = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (!oldUsed[i]) {
        continue;
      }
      if ((oldKeys[i] >>> 8) >= limit) {
        add(oldTimes[i], -1);
        continue;
      }
      int slot = find(oldKeys[i]);
      tableUsed[slot] = true;
      tableKeys[slot] = oldKeys[i];
      tableTimes[slot] = oldTimes[i];
      tableNanos[slot] = oldNanos[i];
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
