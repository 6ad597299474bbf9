package dev.cachescope.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports its API packages, by job; the shared helpers stay inside. */
class ModuleBoundaryTest {

  @Test
  void theSharedHelpersAreNotExported() throws IOException, URISyntaxException {
    ModuleDescriptor module;
    // Read from where this module's classes are, not the first module-info on the class path.
    Path classes =
        Path.of(Monitoring.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    assertThat(module.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrder(
            "dev.cachescope.export",
            "dev.cachescope.export.alerts",
            "dev.cachescope.export.config",
            "dev.cachescope.export.files",
            "dev.cachescope.export.http",
            "dev.cachescope.export.metrics");
    assertThat(
            module.exports().stream()
                .filter(e -> !e.targets().isEmpty())
                .collect(Collectors.toList()))
        .isEmpty();
  }
}
