package dev.cachescope.app;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cachescope health}: the seed design's {@code scripts/check_cache_health.py}. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Checks every cache of a running application (--url) or of a snapshot directory (--dir) and"
          + " prints a table: entries, hit rate, p99, memory, evictions, status.",
      "Exit status: 0 all healthy, 1 a cache is unhealthy, 2 the source cannot be reached or read."
    })
final class HealthCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", description = "A running cachescope API, e.g. http://127.0.0.1:8080.")
  @Nullable String url;

  @Option(names = "--dir", description = "A snapshot directory, e.g. data/metrics.")
  @Nullable Path dir;

  @Option(
      names = "--token",
      defaultValue = "",
      description = "Bearer token for the API, if it needs one.")
  String token;

  @Option(
      names = "--min-hit-rate",
      defaultValue = "0.5",
      description =
          "A cache with lookups below this hit rate is unhealthy (default: ${DEFAULT-VALUE}).")
  double minHitRate;

  @Option(
      names = "--max-p99-ms",
      defaultValue = "1000",
      description = "A cache whose get p99 exceeds this is unhealthy (default: ${DEFAULT-VALUE}).")
  double maxP99Ms;

  @Option(
      names = "--min-requests",
      defaultValue = "20",
      description =
          "Fewer lookups than this is too little traffic to judge: status idle (default: ${DEFAULT-VALUE}).")
  long minRequests;

  @Override
  public Integer call() {
    if ((url == null) == (dir == null)) {
      throw new UserError("give one of --url http://127.0.0.1:8080 or --dir data/metrics");
    }
    if (minHitRate < 0 || minHitRate > 1) {
      throw new UserError("--min-hit-rate must be from 0 to 1, got " + minHitRate);
    }
    String u = url;
    Path d = dir;
    List<CacheSnapshot> snapshots =
        u != null
            ? SummarySource.fromUrl(u, token)
            : SummarySource.latest(
                SummarySource.fromDirectory(java.util.Objects.requireNonNull(d), Instant.EPOCH));
    if (snapshots.isEmpty()) {
      throw new UserError("no caches found at " + (u != null ? u : d));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "%-20s %10s %9s %10s %12s %10s  %s%n",
        "cache",
        "entries",
        "hit rate",
        "p99 ms",
        "memory",
        "evictions",
        "status");
    boolean healthy = true;
    for (CacheSnapshot s : snapshots) {
      LatencySummary get = s.latencyMs().get("get");
      String status = status(s, get);
      healthy &= !status.startsWith("UNHEALTHY");
      out.printf(
          Locale.ROOT,
          "%-20s %,10d %8.1f%% %10s %12s %,10d  %s%n",
          s.cacheName(),
          s.totalEntries(),
          s.hitRate() * 100,
          get == null ? "-" : String.format(Locale.ROOT, "%.3f", get.p99Ms()),
          s.memoryUsageBytes() > 0
              ? String.format(Locale.ROOT, "%,d B", s.memoryUsageBytes())
              : "unknown",
          s.evictions(),
          status);
    }
    out.println(healthy ? "healthy" : "unhealthy");
    out.flush();
    return healthy ? 0 : 1;
  }

  private String status(CacheSnapshot s, @Nullable LatencySummary get) {
    if (!s.enabled()) {
      return "disabled";
    }
    if (s.gets() < minRequests) {
      return "idle";
    }
    if (s.hitRate() < minHitRate) {
      return String.format(Locale.ROOT, "UNHEALTHY: hit rate below %.0f%%", minHitRate * 100);
    }
    if (get != null && get.p99Ms() > maxP99Ms) {
      return String.format(Locale.ROOT, "UNHEALTHY: p99 above %.0f ms", maxP99Ms);
    }
    return "ok";
  }
}
