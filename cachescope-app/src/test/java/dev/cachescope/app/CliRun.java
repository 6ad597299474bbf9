package dev.cachescope.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * One run of the cachescope command line, in this JVM, as a user would type it.
 *
 * @param exit the exit code
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record CliRun(int exit, String out, String err) {
  /**
   * Runs {@code cachescope demo} for one second on any free port with {@code config} and its files
   * under {@code dataDir}: the start-up a test expects to refuse or to end by itself.
   */
  static CliRun shortDemo(Path config, Path dataDir) {
    return of(
        "demo",
        "--duration",
        "1s",
        "--port",
        "0",
        "--config",
        config.toString(),
        "--data-dir",
        dataDir.toString());
  }

  /** Runs {@code cachescope args...}. */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
