package dev.cachescope.benchmarks;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.http.MetricsHttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A target for HTTP load tests: the API over 20 busy caches, on 127.0.0.1 at the given port. Runs
 * until killed. See docs/benchmarks.md for the wrk command.
 *
 * <p>{@code java -cp cachescope-benchmarks/target/benchmarks.jar
 * dev.cachescope.benchmarks.ApiLoadTarget 18080}
 */
public final class ApiLoadTarget {
  private ApiLoadTarget() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
    MetricsAggregator aggregator = MetricsAggregator.create();
    List<CacheMonitor> monitors = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      monitors.add(aggregator.register(CacheMonitor.create("cache-" + c)));
    }
    Thread load =
        new Thread(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              while (true) {
                CacheMonitor m = monitors.get(random.nextInt(monitors.size()));
                long start = m.startLookup();
                if (random.nextInt(10) < 8) {
                  m.recordHit(start, Source.MEMORY, random.nextInt(1_000));
                } else {
                  m.recordMiss(start, null, random.nextInt(1_000));
                }
                if (random.nextInt(1_000) == 0) {
                  Thread.onSpinWait();
                }
              }
            },
            "load");
    load.setDaemon(true);
    load.start();
    MetricsHttpServer server = MetricsHttpServer.builder(aggregator).port(port).start();
    System.out.println("serving " + server.url());
    Thread.currentThread().join();
  }
}
