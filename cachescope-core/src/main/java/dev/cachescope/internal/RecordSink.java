package dev.cachescope.internal;

import org.jspecify.annotations.Nullable;

/** Receives drained operation records, one call each, on the draining thread. */
@FunctionalInterface
public interface RecordSink {
  /**
   * One operation.
   *
   * @param endNanos when it ended, on the monitor's ticker
   * @param durationNanos how long it took, or -1 when it was not timed
   * @param packed its enums and flags, see {@link OperationRecord}
   * @param keyHash the key's hash code (0 when it had none)
   * @param sizeBytes the value's size, or -1 when unknown
   * @param key the key itself, only when keys are tracked
   */
  void accept(
      long endNanos,
      long durationNanos,
      int packed,
      int keyHash,
      long sizeBytes,
      @Nullable Object key);
}
