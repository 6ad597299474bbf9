package dev.cachescope;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the cache's hit rate would be at other sizes and TTLs ({@link CacheSnapshot#sizing()}).
 *
 * <p>Keys are sampled by hash (SHARDS), and every reference to a sampled key is followed. From them
 * come two curves: the LRU curve, an online miss-ratio curve that every cache gets, and, for caches
 * whose adapter supplies a {@link SizingModel} (Caffeine's, whose miniatures are real Caffeine
 * caches), the curve of the cache's own policy, by miniature simulation. {@link #hitRateAtSize()}
 * is the policy's curve when there is one, else the LRU curve; {@link #model()} says which, and
 * {@link #modelError()} how far its value at 1× is from the hit rate the cache really had on the
 * same references. JSON names are snake_case.
 *
 * @param currentSize the size the multipliers apply to
 * @param currentSizeFrom {@code "capacity"} when the cache reported its maximum size, else {@code
 *     "entries"} (what it holds now)
 * @param sampleRate the share of keys whose lookups are followed
 * @param sampledKeys keys followed now
 * @param references lookups the LRU curve stands for (sampled lookups scaled by the rate)
 * @param model the policy {@code hitRateAtSize} models: {@code lru}, or a {@link SizingModel}'s
 *     name such as {@code caffeine}
 * @param hitRateAtSize the estimated hit rate (hits / all lookups, first lookups counted as misses)
 *     at 0.25, 0.5, 1, 2 and 4 times {@code currentSize}, under {@code model}
 * @param modelError the curve's hit rate at 1× minus the hit rate the cache had on the same sampled
 *     lookups: how far to trust the curve; null before any lookup was sampled
 * @param lruHitRateAtSize the LRU curve at the same multipliers, for every cache
 * @param ttl TTL advice, null when the cache reported no TTL or had no misses to learn from
 */
public record SizingAdvice(
    long currentSize,
    String currentSizeFrom,
    double sampleRate,
    int sampledKeys,
    long references,
    String model,
    List<SizePoint> hitRateAtSize,
    @Nullable Double modelError,
    List<SizePoint> lruHitRateAtSize,
    @Nullable TtlAdvice ttl) {

  /**
   * The estimated hit rate at one size.
   *
   * @param multiplier the size over the current size
   * @param size the size in entries
   * @param hitRate the estimated hit rate, null before any lookup was sampled
   */
  public record SizePoint(double multiplier, long size, @Nullable Double hitRate) {}

  /**
   * What longer TTLs would have saved, from the time between a missed key's lookups.
   *
   * @param ttlSeconds the cache's TTL
   * @param missReuseP50Seconds median time since the key's previous lookup, over misses on keys
   *     looked up before; null if there were none
   * @param longerTtl the share of all misses each longer TTL would have avoided (entries evicted
   *     for size are not modelled, so this is an upper bound)
   */
  public record TtlAdvice(
      double ttlSeconds, @Nullable Double missReuseP50Seconds, List<TtlOption> longerTtl) {}

  /**
   * One longer TTL.
   *
   * @param multiplier the TTL over the current one
   * @param ttlSeconds the longer TTL
   * @param missesAvoided the share of misses it would have avoided
   */
  public record TtlOption(double multiplier, double ttlSeconds, double missesAvoided) {}
}
