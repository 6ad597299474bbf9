package dev.cachescope.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.MissRatioCurve;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cachescope advise}: the hit ratio a cache would have at each of several sizes, for a trace
 * of keys: an LRU cache, from the same SHARDS estimator the monitors use for sizing advice, or a
 * Caffeine cache, by replaying the trace through real Caffeine caches of each size.
 */
@Command(
    name = "advise",
    mixinStandardHelpOptions = true,
    description = {
      "Estimates the hit ratio a cache of each size would have on a key trace (hits / all"
          + " references, first references counted as misses) and prints it as JSON, e.g."
          + " {\"100\": 0.41, \"200\": 0.52}. With --policy lru (the default) it uses the"
          + " monitors' LRU sizing estimator (SHARDS), which by default follows up to 65,536 keys"
          + " and is exact for smaller traces; with --policy caffeine it replays the trace through"
          + " one real Caffeine cache (W-TinyLFU) of each size, evicting on the reading thread.",
      "Traces may be gzip- or xz-compressed; a progress bar is drawn on a terminal."
    })
final class AdviseCommand implements java.util.concurrent.Callable<Integer> {
  /** How keys are written in a trace file. */
  enum Format {
    /** LIRS traces: one integer key a line; a line '*' is skipped. */
    lirs,
    /** cache2k traces: big-endian 32-bit integer keys, no header. */
    cache2k,
    /** One key a line, any text. */
    keys
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--trace", required = true, description = "The trace file.")
  Path trace;

  @Option(
      names = "--format",
      required = true,
      description = "lirs, cache2k or keys (one key per line).")
  Format format;

  @Option(
      names = "--sizes",
      required = true,
      split = ",",
      description = "Cache sizes in entries, comma-separated, e.g. 100,200,500.")
  List<Long> sizes;

  /** The policy whose hit ratios are estimated. */
  enum Policy {
    /** Least recently used, from the SHARDS estimator. */
    lru,
    /** Caffeine's W-TinyLFU, by replay through real Caffeine caches. */
    caffeine
  }

  @Option(
      names = "--policy",
      defaultValue = "lru",
      description = "lru (default) or caffeine: the policy of the cache to size.")
  Policy policy;

  @Option(
      names = "--max-sampled-keys",
      defaultValue = "65536",
      description = "The most keys the estimator follows before it samples (default: 65536).")
  int maxSampledKeys;

  @Option(
      names = "--sample-rate",
      defaultValue = "1",
      description = "Follow one key in this many from the start, a power of two (default: 1).")
  int sampleRate;

  @Override
  public Integer call() throws IOException {
    for (long size : sizes) {
      if (size < 1) {
        throw new UserError("--sizes takes positive sizes, got " + size + "; e.g. --sizes 100,200");
      }
    }
    if (sampleRate < 1 || Integer.bitCount(sampleRate) != 1 || sampleRate > (1 << 20)) {
      throw new UserError("--sample-rate takes a power of two from 1 to 1048576, e.g. 16");
    }
    if (maxSampledKeys < 16) {
      throw new UserError("--max-sampled-keys must be at least 16");
    }
    long fileSize;
    try {
      fileSize = Files.size(trace);
    } catch (NoSuchFileException e) {
      throw new UserError("no trace file at " + trace + "; pass --trace with an existing file");
    }
    long[] asked = sizes.stream().mapToLong(Long::longValue).toArray();
    MissRatioCurve curve = new MissRatioCurve(maxSampledKeys, sampleRate);
    CaffeineReplay replay = policy == Policy.caffeine ? new CaffeineReplay(asked) : null;
    IntConsumer reference = replay != null ? replay::reference : curve::reference;
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = new ProgressBar(err, System.console() != null, 1, "KiB");
    long references;
    try (CountingStream counted = new CountingStream(Files.newInputStream(trace))) {
      references =
          read(
              decompressed(counted),
              reference,
              () -> {
                bar.update((int) (counted.count / 1024), (int) Math.max(1, fileSize / 1024));
              });
    }
    bar.finish();
    if (references == 0) {
      throw new UserError("the trace " + trace + " holds no keys; is --format right?");
    }
    double[] ratios = replay != null ? replay.hitRatios() : curve.hitRatios(asked);
    Map<String, Double> result = new LinkedHashMap<>();
    for (int i = 0; i < asked.length; i++) {
      result.put(String.valueOf(asked[i]), Math.round(ratios[i] * 1e4) / 1e4);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    out.flush();
    return 0;
  }

  private long read(InputStream in, IntConsumer reference, Runnable progress) throws IOException {
    long references = 0;
    if (format == Format.cache2k) {
      DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
      while (true) {
        int key;
        try {
          key = data.readInt();
        } catch (EOFException end) {
          break;
        }
        reference.accept(key);
        if (++references % 65_536 == 0) {
          progress.run();
        }
      }
      return references;
    }
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    String line;
    long lineNumber = 0;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      String text = line.strip();
      if (text.isEmpty() || (format == Format.lirs && text.equals("*"))) {
        continue;
      }
      int key;
      if (format == Format.lirs) {
        try {
          key = Long.hashCode(Long.parseLong(text));
        } catch (NumberFormatException e) {
          throw new UserError(
              "line "
                  + lineNumber
                  + " of "
                  + trace
                  + " is not an integer key: '"
                  + abbreviate(text)
                  + "'; for other keys use --format keys");
        }
      } else {
        key = text.hashCode();
      }
      reference.accept(key);
      if (++references % 65_536 == 0) {
        progress.run();
      }
    }
    progress.run();
    return references;
  }

  /** One real Caffeine cache per size, fed every reference: a lookup, and a put on a miss. */
  private static final class CaffeineReplay {
    private final List<Cache<Integer, Boolean>> caches = new ArrayList<>();
    private final long[] hits;
    private long references;

    CaffeineReplay(long[] sizes) {
      for (long size : sizes) {
        caches.add(Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build());
      }
      hits = new long[sizes.length];
    }

    void reference(int key) {
      references++;
      for (int i = 0; i < hits.length; i++) {
        Cache<Integer, Boolean> cache = caches.get(i);
        if (cache.getIfPresent(key) != null) {
          hits[i]++;
        } else {
          cache.put(key, Boolean.TRUE);
        }
      }
    }

    double[] hitRatios() {
      double[] ratios = new double[hits.length];
      for (int i = 0; i < hits.length; i++) {
        ratios[i] = references == 0 ? Double.NaN : (double) hits[i] / references;
      }
      return ratios;
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  /** The stream, gunzipped or un-xz'd when its first bytes say it is compressed. */
  private static InputStream decompressed(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(6);
    byte[] magic = in.readNBytes(6);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (magic.length == 6
        && (magic[0] & 0xff) == 0xfd
        && magic[1] == '7'
        && magic[2] == 'z'
        && magic[3] == 'X'
        && magic[4] == 'Z'
        && magic[5] == 0) {
      return new XZInputStream(in);
    }
    return in;
  }

  /** Counts the compressed bytes read, for the progress bar. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
