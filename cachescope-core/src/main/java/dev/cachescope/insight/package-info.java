/**
 * What the counters alone cannot say: hot keys ({@link SpaceSaving}), the hit rate a cache would
 * have at other sizes ({@link ShardsEstimator}), how long misses waited to be asked again ({@link
 * ReuseTimes}), trends ({@link Ewma}), measured memory ({@link MemorySampler}) and alert rules
 * ({@link AlertEvaluator}).
 *
 * <p>Every class here runs off the cache caller's thread, on the publisher or a reader, except
 * {@link ShardsEstimator#sampled(int)}, the one hot-path check: a hash and a compare. None is
 * thread-safe unless its javadoc says so; the monitor feeds each under its drain lock.
 */
@NullMarked
package dev.cachescope.insight;

import org.jspecify.annotations.NullMarked;
