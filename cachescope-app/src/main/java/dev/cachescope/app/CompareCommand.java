package dev.cachescope.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cachescope compare A B}: the newest snapshot of every cache in two deployments (or two
 * configurations of an A/B test), side by side.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compares the caches of two deployments or A/B variants: each side is a snapshot directory"
          + " (e.g. data/metrics) or a JSON file written by 'cachescope export'. The newest"
          + " snapshot of each cache is compared: hit rate, lookups, p99 lookup time, mean"
          + " operation time, memory, evictions and time saved, with B's change from A."
    })
final class CompareCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "A", description = "The baseline.")
  Path a;

  @Parameters(index = "1", paramLabel = "B", description = "The one compared with it.")
  Path b;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  /** One compared metric: how to read it, how to show it, and which way is better. */
  private record Metric(
      String name, Function<CacheSnapshot, @Nullable Double> read, boolean higherIsBetter) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric("hit_rate", s -> s.gets() == 0 ? null : s.hitRate(), true),
          new Metric("gets", s -> (double) s.gets(), true),
          new Metric("p99_get_ms", CompareCommand::p99, false),
          new Metric("avg_operation_ms", s -> s.gets() == 0 ? null : s.avgOperationMs(), false),
          new Metric(
              "memory_bytes",
              s -> s.memoryMethod().equals("unknown") ? null : (double) s.memoryUsageBytes(),
              false),
          new Metric("evictions", s -> (double) s.evictions(), false),
          new Metric("time_saved_ms", CacheSnapshot::timeSavedMs, true));

  private static @Nullable Double p99(CacheSnapshot s) {
    LatencySummary get = s.latencyMs().get("get");
    return get == null ? null : get.p99Ms();
  }

  @Override
  public Integer call() throws IOException {
    Map<String, CacheSnapshot> left = byName(read(a));
    Map<String, CacheSnapshot> right = byName(read(b));
    TreeSet<String> caches = new TreeSet<>(left.keySet());
    caches.addAll(right.keySet());
    Map<String, Map<String, Map<String, @Nullable Double>>> result = new LinkedHashMap<>();
    for (String cache : caches) {
      Map<String, Map<String, @Nullable Double>> metrics = new LinkedHashMap<>();
      for (Metric metric : METRICS) {
        Double va = value(left.get(cache), metric);
        Double vb = value(right.get(cache), metric);
        Map<String, @Nullable Double> row = new LinkedHashMap<>();
        row.put("a", va);
        row.put("b", vb);
        row.put("change", va == null || vb == null ? null : vb - va);
        metrics.put(metric.name(), row);
      }
      result.put(cache, metrics);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(SummarySource.JSON.writeValueAsString(Map.of("caches", result)));
    } else {
      printTable(out, result);
    }
    out.flush();
    return 0;
  }

  private static @Nullable Double value(@Nullable CacheSnapshot s, Metric metric) {
    return s == null ? null : metric.read().apply(s);
  }

  private void printTable(
      PrintWriter out, Map<String, Map<String, Map<String, @Nullable Double>>> result) {
    out.printf(Locale.ROOT, "A: %s%nB: %s%n%n", a, b);
    String format = "%-20s %-17s %14s %14s %16s%n";
    out.printf(Locale.ROOT, format, "cache", "metric", "A", "B", "B - A");
    for (Map.Entry<String, Map<String, Map<String, @Nullable Double>>> cache : result.entrySet()) {
      for (Metric metric : METRICS) {
        Map<String, @Nullable Double> row =
            Objects.requireNonNull(cache.getValue().get(metric.name()), "every metric has a row");
        Double change = row.get("change");
        String verdict = "";
        if (change != null && Math.abs(change) > 1e-9) {
          verdict = (change > 0) == metric.higherIsBetter() ? " better" : " worse";
        }
        out.printf(
            Locale.ROOT,
            format,
            cache.getKey(),
            metric.name(),
            show(metric, row.get("a")),
            show(metric, row.get("b")),
            showChange(metric, change) + verdict);
      }
    }
  }

  /** A change with its sign; hit rates change by percentage points. */
  private static String showChange(Metric metric, @Nullable Double change) {
    if (change == null) {
      return "–";
    }
    if (metric.name().equals("hit_rate")) {
      return String.format(Locale.ROOT, "%+.1f pp", change * 100);
    }
    return (change > 0 ? "+" : "") + show(metric, change);
  }

  private static String show(Metric metric, @Nullable Double value) {
    if (value == null) {
      return "–";
    }
    return switch (metric.name()) {
      case "hit_rate" -> String.format(Locale.ROOT, "%.1f%%", value * 100);
      case "gets", "evictions", "memory_bytes" -> String.format(Locale.ROOT, "%,.0f", value);
      default -> String.format(Locale.ROOT, "%.3f", value);
    };
  }

  /** The newest snapshot of each cache. */
  private static Map<String, CacheSnapshot> byName(List<CacheSnapshot> snapshots) {
    Map<String, CacheSnapshot> newest = new LinkedHashMap<>();
    for (CacheSnapshot s : SummarySource.latest(snapshots)) {
      newest.put(s.cacheName(), s);
    }
    return newest;
  }

  /** A snapshot directory, or an export file: a JSON list of snapshots. */
  private static List<CacheSnapshot> read(Path source) {
    if (Files.isDirectory(source)) {
      return SummarySource.fromDirectory(source, Instant.EPOCH);
    }
    if (!Files.isRegularFile(source)) {
      throw new UserError(
          source
              + " does not exist; pass a snapshot directory (data/metrics) or a file from"
              + " 'cachescope export --format json'");
    }
    try {
      List<CacheSnapshot> snapshots =
          SummarySource.JSON.readValue(
              source.toFile(), new TypeReference<List<CacheSnapshot>>() {});
      return new ArrayList<>(snapshots);
    } catch (IOException e) {
      throw new UserError(
          "cannot read "
              + source
              + " as an export (a JSON list of snapshots): "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
              + "; pass a snapshot directory or a file from 'cachescope export --format json'");
    }
  }
}
