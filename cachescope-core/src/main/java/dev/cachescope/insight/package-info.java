/**
 * What the counters alone cannot say: hot keys ({@link SpaceSaving}), the hit rate a cache would
 * have at other sizes ({@link ShardsEstimator}), how long misses waited to be asked again ({@link
 * ReuseTimes}), trends ({@link Ewma}) and measured memory ({@link MemorySampler}). Not API: the
 * module exports this package to no one; the monitor uses it, and offline tools reach the sizing
 * estimator through {@link dev.cachescope.MissRatioCurve}.
 *
 * <p>Every class here runs off the cache caller's thread, on the publisher or a reader, except
 * {@link ShardsEstimator#sampled(int)}, the one hot-path check: a hash and a compare. None is
 * thread-safe unless its javadoc says so; the monitor feeds each under its drain lock.
 */
@NullMarked
package dev.cachescope.insight;

import org.jspecify.annotations.NullMarked;
