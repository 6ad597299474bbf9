package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void drawsInPlaceOnATerminalWhenTheWorkIsLong() {
    StringWriter out = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(out), true, 10, "files");
    for (int i = 1; i <= 300; i++) {
      bar.update(i, 300);
    }
    bar.finish();
    assertThat(out.toString())
        .startsWith("\r[------------------------------] 1/300 files")
        .contains("\r[#-----------------------------] 10/300 files")
        .contains("\r[##############################] 300/300 files")
        .endsWith(System.lineSeparator());
    // Redrawn only when the bar grows: the empty bar and each of its 30 steps.
    assertThat(out.toString().chars().filter(c -> c == '\r').count()).isEqualTo(31);
  }

  @Test
  void staysSilentInPipesAndForShortWork() {
    StringWriter piped = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(piped), false, 10, "files");
    bar.update(300, 300);
    bar.finish();
    StringWriter shortWork = new StringWriter();
    ProgressBar small = new ProgressBar(new PrintWriter(shortWork), true, 10, "files");
    small.update(3, 5);
    small.finish();
    assertThat(piped.toString()).isEmpty();
    assertThat(shortWork.toString()).isEmpty();
  }
}
