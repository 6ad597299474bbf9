package dev.cachescope;

import java.util.function.IntPredicate;

/**
 * A cache policy that sizing advice simulates, for "what if the cache were bigger or smaller" under
 * the policy the cache really runs: miniature simulation (Waldspurger et al., USENIX ATC 2017). For
 * each size multiplier the monitor keeps one small cache of this policy, scaled down by the sizing
 * sample rate, and feeds it the references to the sampled keys; its hit rate is the advice at that
 * size ({@link SizingAdvice#hitRateAtSize()}). Without a model the advice is the LRU curve.
 *
 * <p>Adapters supply models: the Caffeine adapter's miniatures are real Caffeine caches. The
 * monitor calls a model and its miniatures on one thread at a time, under its sizing lock, on the
 * publisher thread or a reading thread, and occasionally on a cache caller's thread that helps
 * drain a full sizing ring; never concurrently. Whatever they throw is a monitoring fault: the
 * monitor falls back to LRU and the caller never sees it.
 */
public interface SizingModel {
  /** The policy's name as snapshots report it in {@code sizing.model}, e.g. {@code caffeine}. */
  String name();

  /**
   * The capacity of the cache this model stands for, in entries, now; 0 or less when it has no
   * bound in entries (then the monitor reports the LRU curve).
   */
  long capacity();

  /** A new, empty cache of this policy holding at most {@code capacity} entries (at least 1). */
  Miniature miniature(long capacity);

  /** One miniature cache, keyed by the sampled keys' hash codes. */
  interface Miniature {
    /**
     * A lookup of {@code key}: whether it was present. On a miss the key is inserted, as the load
     * or put that follows a miss would.
     */
    boolean lookup(int key);

    /** A write of {@code key}. */
    void put(int key);

    /** An explicit removal of {@code key}. */
    void remove(int key);

    /** Every entry removed. */
    void clear();

    /** The capacity changes: the sample rate fell or the real cache was resized. */
    void resize(long capacity);

    /** Drops every key that {@code keep} refuses: those the sample no longer follows. */
    void retain(IntPredicate keep);
  }
}
