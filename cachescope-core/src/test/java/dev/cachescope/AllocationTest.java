package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing. JMH's {@code -prof gc} is the authority (see docs/benchmarks.md);
 * this test catches a regression in the build, measuring this thread's allocations over many
 * operations after the JIT has compiled them.
 */
class AllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void recordingHitsAllocatesNothingInDefaultMode() {
    CacheMonitor monitor = CacheMonitor.create("c");
    assertThat(bytesPerOperation(monitor, 2_000_000)).isLessThan(0.01);
  }

  @Test
  void recordingHitsAllocatesNothingWhenDisabled() {
    CacheMonitor monitor = CacheMonitor.builder("c").enabled(false).build();
    assertThat(bytesPerOperation(monitor, 2_000_000)).isLessThan(0.01);
  }

  private static double bytesPerOperation(CacheMonitor monitor, int operations) {
    String key = "key";
    for (int i = 0; i < operations; i++) {
      monitor.recordHit(monitor.startLookup(), Source.MEMORY, key);
    }
    monitor.snapshot();
    long id = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(id);
    for (int i = 0; i < operations; i++) {
      monitor.recordHit(monitor.startLookup(), Source.MEMORY, key);
    }
    long allocated = THREADS.getThreadAllocatedBytes(id) - before;
    return (double) allocated / operations;
  }
}
