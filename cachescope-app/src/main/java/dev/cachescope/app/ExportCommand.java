package dev.cachescope.app;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cachescope.CacheSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cachescope export}: the seed design's {@code scripts/export_cache_metrics.py}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Exports the snapshots in a snapshot directory taken since a date or instant, as JSON (the"
            + " snapshots, oldest first) or CSV (one row per snapshot, the numeric fields).")
final class ExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--since",
      required = true,
      description = "A date (2025-10-01, UTC midnight) or an instant (2025-10-01T12:00:00Z).")
  String since;

  @Option(names = "--output", required = true, description = "The file to write.")
  Path output;

  @Option(
      names = "--dir",
      defaultValue = "data/metrics",
      description = "The snapshot directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--format",
      defaultValue = "json",
      description = "json or csv (default: ${DEFAULT-VALUE}).")
  String format;

  /** The CSV row: the snapshot's numeric fields. */
  record Row(
      String cacheName,
      double timestamp,
      long totalEntries,
      long memoryUsageBytes,
      double hitRate,
      double avgOperationMs,
      long hits,
      long misses,
      long evictions,
      long gets,
      long puts,
      long removals,
      long loads,
      long loadFailures,
      long errors) {
    static Row of(CacheSnapshot s) {
      return new Row(
          s.cacheName(),
          s.timestamp(),
          s.totalEntries(),
          s.memoryUsageBytes(),
          s.hitRate(),
          s.avgOperationMs(),
          s.hits(),
          s.misses(),
          s.evictions(),
          s.gets(),
          s.puts(),
          s.removals(),
          s.loads(),
          s.loadFailures(),
          s.errors());
    }
  }

  @Override
  public Integer call() {
    String kind = format.toLowerCase(Locale.ROOT);
    if (!kind.equals("json") && !kind.equals("csv")) {
      throw new UserError("--format must be json or csv, got '" + format + "'");
    }
    Instant from = parseSince(since);
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = new ProgressBar(err, System.console() != null, 200, "files");
    List<CacheSnapshot> snapshots = SummarySource.fromDirectory(dir, from, bar::update);
    bar.finish();
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new UserError(
          "cannot write "
              + output
              + ": "
              + parent
              + " does not exist; create it or choose another --output");
    }
    try (OutputStream out = Files.newOutputStream(output)) {
      if (kind.equals("json")) {
        SummarySource.JSON
            .copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(out, snapshots);
      } else {
        CsvMapper csv =
            CsvMapper.builder().disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();
        csv.setPropertyNamingStrategy(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
        CsvSchema schema = csv.schemaFor(Row.class).withHeader();
        csv.writer(schema).writeValue(out, snapshots.stream().map(Row::of).toList());
      }
    } catch (IOException e) {
      throw new UserError(
          "cannot write " + output + ": " + e.getMessage() + "; choose another --output");
    }
    spec.commandLine()
        .getOut()
        .printf(Locale.ROOT, "exported %,d snapshots to %s%n", snapshots.size(), output);
    spec.commandLine().getOut().flush();
    return 0;
  }

  static Instant parseSince(String value) {
    try {
      return value.contains("T")
          ? Instant.parse(value)
          : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--since '"
              + value
              + "' is not a date (2025-10-01) or an instant (2025-10-01T12:00:00Z)");
    }
  }
}
