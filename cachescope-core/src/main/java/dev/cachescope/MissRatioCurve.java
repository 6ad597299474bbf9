package dev.cachescope;

import dev.cachescope.insight.ShardsEstimator;

/**
 * The hit ratio an LRU cache would have at each size, estimated from a stream of key references:
 * the same estimator that gives {@link CacheSnapshot#sizing()}, for offline use (a key trace, say).
 * It follows a spatial sample of the keys (SHARDS): one key in {@code sampleRate} at first, fewer
 * when more than {@code maxSampledKeys} are followed, so memory stays bounded; with every key
 * followed the curve is exact. Not thread-safe: feed it from one thread.
 */
public final class MissRatioCurve {
  private final ShardsEstimator estimator;
  private long references;

  /**
   * @param maxSampledKeys the most keys followed, at least 16
   * @param sampleRate follow one key in this many at first: a power of two from 1 to 1,048,576
   */
  public MissRatioCurve(int maxSampledKeys, int sampleRate) {
    if (sampleRate < 1 || sampleRate > (1 << 20) || Integer.bitCount(sampleRate) != 1) {
      throw new IllegalArgumentException(
          "sampleRate must be a power of two from 1 to 1048576, was " + sampleRate);
    }
    this.estimator = new ShardsEstimator(maxSampledKeys, Integer.numberOfTrailingZeros(sampleRate));
  }

  /** One reference to the key whose {@code hashCode()} is {@code keyHash}. */
  public void reference(int keyHash) {
    references++;
    estimator.access(keyHash, 0);
  }

  /** How many references were fed. */
  public long references() {
    return references;
  }

  /** The share of keys followed now: 1 follows every key. */
  public double sampleRate() {
    return estimator.rate();
  }

  /**
   * The estimated hit ratio at each size: hits over all references fed, first references counted as
   * misses. Element {@code i} is for {@code sizes[i]}.
   */
  public double[] hitRatios(long... sizes) {
    return estimator.hitRatios(sizes, references);
  }
}
