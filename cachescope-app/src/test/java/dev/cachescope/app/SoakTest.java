package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo under load for {@code soak.minutes} (default 10): the workload at 1,000 requests/s and
 * four API clients reading every endpoint, snapshots every 2 s with 10 kept per cache. Heap after a
 * full GC and the number of files it keeps must stay flat once warmed up, and every API request
 * must succeed. In the {@code soak} profile ({@code mvn -Psoak ...}), which CI runs once; not in
 * the default build.
 */
@Tag("soak")
class SoakTest {
  private static final long MB = 1024 * 1024;

  @Test
  void heapAndFilesStayFlatUnderLoad(@TempDir Path dir) throws Exception {
    int minutes = Integer.getInteger("soak.minutes", 10);
    Duration length = Duration.ofMinutes(minutes);
    HttpClient client = HttpClient.newHttpClient();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong served = new AtomicLong();
    ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
    List<long[]> samples = new ArrayList<>(); // {minute * 100, heap after GC, files}
    try (RunningDemo demo = RunningDemo.start(dir, length.plusMinutes(1), 1_000, 10)) {
      List<Thread> readers = new ArrayList<>();
      String[] paths = {
        "/api/metrics/cache/summary",
        "/api/metrics/cache/RuleCache/snapshot",
        "/api/metrics/cache/FileCache/operations?limit=500",
        "/api/metrics/cache/series?after=0",
        "/metrics",
        "/health",
        "/api/alerts"
      };
      for (int r = 0; r < 4; r++) {
        int offset = r;
        Thread reader =
            new Thread(
                () -> {
                  long next = System.nanoTime();
                  for (int i = offset; running.get(); i++) {
                    String path = paths[i % paths.length];
                    try {
                      HttpResponse<String> response =
                          client.send(
                              HttpRequest.newBuilder(URI.create(demo.url() + path))
                                  .timeout(Duration.ofSeconds(30))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      // /health is 503 while a backend fails: that would be a finding too.
                      if (response.statusCode() != 200) {
                        failures.merge(path + " " + response.statusCode(), 1, Integer::sum);
                      }
                      served.incrementAndGet();
                    } catch (Exception e) {
                      failures.merge(path + " " + e, 1, Integer::sum);
                    }
                    next += 20_000_000L; // 50 requests/s per reader: a pace, not a wait
                    LockSupport.parkNanos(next - System.nanoTime());
                  }
                },
                "soak-reader-" + r);
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
      }
      long start = System.nanoTime();
      long end = start + length.toNanos();
      for (long due = start + 30_000_000_000L; due <= end; due += 30_000_000_000L) {
        LockSupport.parkNanos(due - System.nanoTime());
        samples.add(new long[] {(due - start) / 600_000_000L, heapAfterGc(), files(dir)});
      }
      running.set(false);
      for (Thread reader : readers) {
        reader.join(30_000);
      }
    }
    StringBuilder report = new StringBuilder("minute, heap after GC KB, files\n");
    for (long[] s : samples) {
      report.append(String.format("%.1f, %d, %d%n", s[0] / 100.0, s[1] / 1024, s[2]));
    }
    System.out.println(report);
    assertThat(failures).as("API failures").isEmpty();
    assertThat(served.get()).isGreaterThan(minutes * 60L * 100);
    // Warmed up after the first third: the last third may not grow past the middle one.
    int third = samples.size() / 3;
    long middleHeap =
        samples.subList(third, 2 * third).stream().mapToLong(s -> s[1]).max().orElseThrow();
    long lastHeap =
        samples.subList(2 * third, samples.size()).stream()
            .mapToLong(s -> s[1])
            .max()
            .orElseThrow();
    assertThat(lastHeap)
        .as(report.toString())
        .isLessThanOrEqualTo(middleHeap + middleHeap / 5 + 4 * MB);
    long middleFiles =
        samples.subList(third, 2 * third).stream().mapToLong(s -> s[2]).max().orElseThrow();
    long lastFiles =
        samples.subList(2 * third, samples.size()).stream()
            .mapToLong(s -> s[2])
            .max()
            .orElseThrow();
    assertThat(lastFiles).as(report.toString()).isLessThanOrEqualTo(middleFiles);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Regular files under {@code dir}; a file that retention deletes while it is counted is gone. */
  private static long files(Path dir) throws IOException {
    AtomicLong count = new AtomicLong();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              count.incrementAndGet();
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return count.get();
  }
}
