package dev.cachescope.app;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on the terminal, redrawn in place: {@code [#########-----] 120/200
 * files}. Drawn only when a terminal is attached and the work is long (at least {@code minimum}
 * steps); otherwise silent, so pipes and logs stay clean.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final int minimum;
  private final String unit;
  private int lastDrawn = -1;
  private boolean drawn;

  ProgressBar(PrintWriter out, boolean terminal, int minimum, String unit) {
    this.out = out;
    this.terminal = terminal;
    this.minimum = minimum;
    this.unit = unit;
  }

  void update(int done, int total) {
    if (!terminal || total < minimum) {
      return;
    }
    int filled = (int) ((long) done * WIDTH / total);
    if (filled == lastDrawn && done != total) {
      return;
    }
    lastDrawn = filled;
    drawn = true;
    out.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %,d/%,d %s",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            done,
            total,
            unit));
    out.flush();
  }

  void finish() {
    if (drawn) {
      out.println();
      out.flush();
    }
  }
}
