package dev.cachescope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

  @Test
  void noArgumentsAreTheDefaults() {
    AgentOptions options = AgentOptions.parse(null);
    assertThat(options.port()).isEqualTo(9966);
    assertThat(options.config()).isNull();
    assertThat(options.names()).isEmpty();
    assertThat(options.detach()).isFalse();
    assertThat(AgentOptions.parse(" ")).isEqualTo(options);
  }

  @Test
  void everyOptionIsRead() {
    AgentOptions options =
        AgentOptions.parse(
            "port=0, config=/etc/app/monitoring.yaml,name.OrderService.java:42=orders,"
                + "report=/tmp/r.json,detach");
    assertThat(options.port()).isZero();
    assertThat(options.config()).isEqualTo(Path.of("/etc/app/monitoring.yaml"));
    assertThat(options.names()).isEqualTo(Map.of("OrderService.java:42", "orders"));
    assertThat(options.report()).isEqualTo(Path.of("/tmp/r.json"));
    assertThat(options.detach()).isTrue();
  }

  @Test
  void mistakesAreOneLineNamingTheOptionAndWhatToWrite() {
    assertThatThrownBy(() -> AgentOptions.parse("port=70000"))
        .hasMessage("port must be a number from 0 to 65535 (0 = any free port), got '70000'");
    assertThatThrownBy(() -> AgentOptions.parse("prot=1"))
        .hasMessage(
            "unknown option 'prot'; options are port, config, name.<File.java:line>, detach");
    assertThatThrownBy(() -> AgentOptions.parse("config="))
        .hasMessage(
            "option 'config' needs a value (config=...); options are port, config,"
                + " name.<File.java:line>, detach");
    assertThatThrownBy(() -> AgentOptions.parse("name.=x"))
        .hasMessageStartingWith("unknown option 'name.'");
  }
}
