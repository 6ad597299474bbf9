package dev.cachescope;

import org.jspecify.annotations.Nullable;

/**
 * One operation being tracked, the Java form of the seed design's {@code with
 * monitor.track_operation(...) as result:}. Obtain it from {@link CacheMonitor#track}, report the
 * outcome, and close it (try-with-resources):
 *
 * <pre>{@code
 * try (OperationScope op = monitor.track(Operation.GET, key)) {
 *   Rule rule = rules.get(key);
 *   op.result(rule != null ? Result.HIT : Result.MISS).source(Source.MEMORY);
 *   return rule;
 * }
 * }</pre>
 *
 * <p>The duration runs from {@code track} to {@code close}. A scope closed without a result is
 * recorded as {@link Result#ERROR}: that is what happens when the body throws before it reports.
 * Closing twice records once. A scope belongs to the thread that opened it.
 */
public final class OperationScope implements AutoCloseable {
  static final OperationScope DISABLED = new OperationScope(null, Operation.GET, null, 0, false);

  private final @Nullable CacheMonitor monitor;
  private final Operation operation;
  private final @Nullable Object key;
  private final long startNanos;
  private final boolean keepHit;
  private @Nullable Result result;
  private @Nullable Source source;
  private long sizeBytes = -1;
  private boolean closed;

  OperationScope(
      @Nullable CacheMonitor monitor,
      Operation operation,
      @Nullable Object key,
      long startNanos,
      boolean keepHit) {
    this.monitor = monitor;
    this.operation = operation;
    this.key = key;
    this.startNanos = startNanos;
    this.keepHit = keepHit;
  }

  /** Sets the outcome. */
  public OperationScope result(Result result) {
    this.result = result;
    return this;
  }

  /** Sets where the value came from. */
  public OperationScope source(Source source) {
    this.source = source;
    return this;
  }

  /** Sets the value's size in bytes. */
  public OperationScope sizeBytes(long sizeBytes) {
    this.sizeBytes = sizeBytes;
    return this;
  }

  /** Records the operation. Never throws. */
  @Override
  public void close() {
    CacheMonitor m = monitor;
    if (closed || m == null) {
      return;
    }
    closed = true;
    Result r = result == null ? Result.ERROR : result;
    m.recordScope(operation, r, source, startNanos, keepHit, key, sizeBytes);
  }
}
