package dev.cachescope;

import java.util.function.IntConsumer;

/** Runs operations with a drain between batches, as the publisher thread would. */
final class AggregatorDrain {
  private AggregatorDrain() {}

  static void drainEvery(CacheMonitor monitor, int batch, int total, IntConsumer operation) {
    for (int i = 0; i < total; i++) {
      operation.accept(i);
      if ((i + 1) % batch == 0) {
        monitor.publish();
      }
    }
  }
}
