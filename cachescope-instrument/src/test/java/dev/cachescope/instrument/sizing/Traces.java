package dev.cachescope.instrument.sizing;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.tukaani.xz.XZInputStream;

/** The public traces in {@code shared/traces}, read as arrays of integer keys. */
final class Traces {
  private Traces() {}

  /** The keys of a trace file: LIRS text ({@code .gz}) or cache2k binary ({@code .xz}). */
  static int[] keys(String file) throws IOException {
    Path path = directory().resolve(file);
    int[] keys = new int[1 << 16];
    int n = 0;
    if (file.endsWith(".xz")) {
      try (DataInputStream in =
          new DataInputStream(
              new BufferedInputStream(new XZInputStream(Files.newInputStream(path)), 1 << 16))) {
        while (true) {
          int key;
          try {
            key = in.readInt();
          } catch (EOFException end) {
            break;
          }
          keys = grow(keys, n);
          keys[n++] = key;
        }
      }
    } else {
      try (InputStream raw = new GZIPInputStream(Files.newInputStream(path));
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          String text = line.strip();
          if (text.isEmpty() || text.equals("*")) {
            continue;
          }
          keys = grow(keys, n);
          keys[n++] = Long.hashCode(Long.parseLong(text));
        }
      }
    }
    return Arrays.copyOf(keys, n);
  }

  private static int[] grow(int[] keys, int n) {
    return n < keys.length ? keys : Arrays.copyOf(keys, keys.length * 2);
  }

  /** {@code shared/traces}, found above the working directory. */
  private static Path directory() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/traces");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    if (System.getenv("CI") != null) {
      throw new AssertionError("CI must have shared/traces beside the clone, above " + here);
    }
    Assumptions.abort("shared/traces not found above " + here);
    throw new AssertionError("unreachable");
  }
}
