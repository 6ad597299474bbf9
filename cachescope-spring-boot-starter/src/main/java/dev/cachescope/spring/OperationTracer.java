package dev.cachescope.spring;

import dev.cachescope.Operation;
import dev.cachescope.Result;
import org.jspecify.annotations.Nullable;

/**
 * Reports single cache operations to a tracer, on the caller's thread. {@link #start()} decides
 * whether the operation is reported; both methods must never throw.
 */
interface OperationTracer {
  /** Reports nothing, for applications without OpenTelemetry. */
  OperationTracer NONE =
      new OperationTracer() {
        @Override
        public @Nullable Object start() {
          return null;
        }

        @Override
        public void finish(Object token, String cache, Operation operation, Result result) {}
      };

  /** A token for {@link #finish}, or null when this operation is not reported. */
  @Nullable Object start();

  /** Reports the operation that {@code token} started. */
  void finish(Object token, String cache, Operation operation, Result result);
}
