package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final int THREADS = 4;
  private static final int OPERATIONS = 1_000_000;

  @Test
  void countsAreExactAcrossThreadsWhileSnapshotsAreTaken() throws Exception {
    try (MetricsAggregator aggregator = MetricsAggregator.create()) {
      CacheMonitor monitor = aggregator.register(CacheMonitor.create("shared"));
      AtomicBoolean running = new AtomicBoolean(true);
      List<String> violations = new ArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                long lastGets = 0;
                while (running.get()) {
                  CacheSnapshot s = monitor.snapshot();
                  long sources = s.sources().values().stream().mapToLong(Long::longValue).sum();
                  if (s.hits() + s.misses() != s.gets() || sources != s.gets()) {
                    violations.add("inconsistent snapshot " + s);
                  }
                  if (s.gets() < lastGets) {
                    violations.add("gets went backwards: " + lastGets + " -> " + s.gets());
                  }
                  lastGets = s.gets();
                }
              });
      reader.start();

      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < OPERATIONS; i++) {
                    long started = monitor.startLookup();
                    if ((i & 3) == 0) {
                      monitor.recordMiss(started, Source.FRESH, i);
                    } else {
                      monitor.recordHit(started, Source.MEMORY, thread);
                    }
                    if ((i & 255) == 0) {
                      monitor.recordPut(monitor.startTimed(), i, 8);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      running.set(false);
      reader.join();

      CacheSnapshot s = monitor.snapshot();
      long total = (long) THREADS * OPERATIONS;
      assertThat(violations).isEmpty();
      assertThat(s.gets()).isEqualTo(total);
      assertThat(s.misses()).isEqualTo(total / 4);
      assertThat(s.hits()).isEqualTo(total - total / 4);
      assertThat(s.puts()).isEqualTo(THREADS * ((OPERATIONS + 255) / 256));
      assertThat(s.sources())
          .containsEntry("fresh", total / 4)
          .containsEntry("memory", total - total / 4);
      assertThat(monitor.recentOperations(Integer.MAX_VALUE)).hasSizeLessThanOrEqualTo(10_000);
    }
  }

  @Test
  void threadsThatComeAndGoLoseNoCounts() throws Exception {
    CacheMonitor monitor = CacheMonitor.create("churn");
    int rounds = 50;
    for (int round = 0; round < rounds; round++) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 10_000; i++) {
                    monitor.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      // Reading releases the stripes of terminated threads to the next round's threads.
      monitor.snapshot();
    }
    assertThat(monitor.snapshot().hits()).isEqualTo((long) rounds * THREADS * 10_000);
  }
}
