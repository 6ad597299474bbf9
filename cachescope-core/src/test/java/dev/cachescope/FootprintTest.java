package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.internal.OperationHistory;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** The history's memory, measured with JOL rather than estimated as the design did (~5 MB). */
class FootprintTest {

  @Test
  void historyTakesAtMost48BytesPerSlot() {
    OperationHistory history = new OperationHistory(10_000, false);
    long bytes = GraphLayout.parseInstance(history).totalSize();
    System.out.printf("history of 10,000 slots: %,d bytes (%.1f per slot)%n", bytes, bytes / 1e4);
    assertThat(bytes / 10_000.0).isLessThanOrEqualTo(48.0);
  }

  @Test
  void historyWithTrackedKeysStaysUnder48BytesPerSlotBeforeTheKeysThemselves() {
    OperationHistory history = new OperationHistory(10_000, true);
    long bytes = GraphLayout.parseInstance(history).totalSize();
    assertThat(bytes / 10_000.0).isLessThanOrEqualTo(48.0);
  }

  @Test
  void aWholeMonitorWithFullHistoryAndFullSizingStaysUnderAMegabyte() throws InterruptedException {
    CacheMonitor monitor = CacheMonitor.create("c");
    // Record on a thread that then ends, so the walk below measures the monitor, not a Thread.
    Thread writer =
        new Thread(
            () ->
                AggregatorDrain.drainEvery(
                    monitor, 100, 20_000, i -> monitor.recordPut(monitor.startTimed(), i, 8)));
    writer.start();
    writer.join();
    monitor.snapshot();
    long bytes = GraphLayout.parseInstance(monitor).totalSize();
    System.out.printf("monitor with a full 10,000-operation history: %,d bytes%n", bytes);
    // History (~320 KB) + one HdrHistogram (~37 KB) + counters, windows, one staging ring of each
    // kind, and the sizing estimator at its bound: 16,384 keys of 20,000 written, ~530 KB.
    assertThat(bytes).isLessThan(1_000_000);
  }
}
