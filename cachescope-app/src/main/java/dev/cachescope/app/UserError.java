package dev.cachescope.app;

/** A problem the user can fix: printed as one line saying what to do, with an exit code. */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  UserError(String message) {
    this(message, 2);
  }

  int exitCode() {
    return exitCode;
  }
}
