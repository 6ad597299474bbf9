package dev.cachescope;

/**
 * The body of {@link CacheMonitor#track(Operation, Object, TrackedCall)}: does the cache work and
 * reports its outcome on the scope.
 *
 * @param <T> what it returns
 * @param <X> what it may throw; passes through unchanged
 */
@FunctionalInterface
public interface TrackedCall<T, X extends Throwable> {
  /** Does the work. */
  T call(OperationScope scope) throws X;
}
