package dev.cachescope.export.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A tiny tmpfs mounted for a test, to run code against a disk that really fills up. Mounting needs
 * root: where it is refused, the test is skipped with the reason.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mount;
  private final Path filler;

  private SmallDisk(Path mount) {
    this.mount = mount;
    this.filler = mount.resolve(".filler");
  }

  /** Mounts a tmpfs of {@code kib} KiB at {@code mount} (created if missing), or skips the test. */
  public static SmallDisk mount(Path mount, int kib) throws IOException, InterruptedException {
    Files.createDirectories(mount);
    Process mounting =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    String why = new String(mounting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(
        mounting.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + why.strip());
    return new SmallDisk(mount);
  }

  /** The mount point. */
  public Path path() {
    return mount;
  }

  /** Fills the disk with one file until a write fails for lack of space. */
  public void fill() throws IOException {
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[1024];
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).containsIgnoringCase("space");
    }
  }

  /** Deletes what {@link #fill()} wrote. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  /** Unmounts the disk. */
  @Override
  public void close() throws IOException, InterruptedException {
    new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
  }
}
