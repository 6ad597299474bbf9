package dev.cachescope;

import java.util.List;

/**
 * Receives the operations a {@link MetricsAggregator} drains from its monitors' histories, off the
 * hot path. Exporters (JSON-lines logs, for example) implement it.
 *
 * <p>Called on the thread that drained them (the aggregator's publisher thread, or a thread taking
 * a snapshot); calls for one cache arrive in order. An exception thrown here is logged, counted as
 * a monitoring fault of that cache, and otherwise ignored.
 */
@FunctionalInterface
public interface MetricsListener {
  /** The operations of one cache, oldest first; never empty. */
  void onOperations(String cacheName, List<CacheOperation> operations);
}
