package dev.cachescope.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cachescope}: the demo, and the seed design's health and export scripts. */
@Command(
    name = "cachescope",
    mixinStandardHelpOptions = true,
    version = "cachescope 0.1.0",
    description = "Cache monitoring for JVM applications.",
    subcommands = {
      DemoCommand.class,
      HealthCommand.class,
      ExportCommand.class,
      AdviseCommand.class,
      CompareCommand.class
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Run 'cachescope <command> --help' for a command's options.",
      "",
      "No code at all: './cachescope attach <pid>' monitors every cache of a running",
      "JVM; -javaagent:cachescope-agent.jar does from its start (docs/agent.md)."
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with cachescope's error handling: usage errors exit 2 with a hint. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::handle);
  }

  private static int handle(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (e instanceof UserError error) {
      commandLine.getErr().println(commandLine.getCommandName() + ": " + error.getMessage());
      return error.exitCode();
    }
    throw new IllegalStateException(e);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
