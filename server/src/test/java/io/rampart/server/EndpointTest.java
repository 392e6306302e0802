package io.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointTest {
    @TempDir
    Path temp;

    @Test
    void writesTheFiveAgreedFieldsAndReadsThemBack() throws Exception {
        Endpoint endpoint = new Endpoint("localhost", 8883, 8443, "eu-west-1", "123456789012");
        Path file = Files.write(temp.resolve("endpoint.json"), endpoint.toJson());

        JsonNode json = Json.newMapper().readTree(file.toFile());

        assertThat(json.properties()).extracting(e -> e.getKey())
                .containsExactlyInAnyOrder("host", "mqttPort", "apiPort", "region", "accountId");
        assertThat(json.get("apiPort").asInt()).isEqualTo(8443);
        assertThat(Endpoint.read(file)).isEqualTo(endpoint);
    }

    @Test
    void theApiUrlBracketsIpv6Literals() {
        assertThat(new Endpoint("::1", 0, 8443, "us-east-1", "000000000000").apiUrl())
                .hasToString("https://[::1]:8443");
        assertThat(new Endpoint("iot.example.com", 8883, 443, "us-east-1", "000000000000").apiUrl())
                .hasToString("https://iot.example.com:443");
    }

    @Test
    void aMissingFileSaysHowToStartANode() {
        assertThatThrownBy(() -> Endpoint.read(temp.resolve("endpoint.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rampart server --data");
    }

    @Test
    void aMalformedFileIsNamedInTheError() throws Exception {
        Path file = Files.writeString(temp.resolve("endpoint.json"), "{\"host\": \"x\", \"apiPort\": 99999}");

        assertThatThrownBy(() -> Endpoint.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid endpoint description");
    }
}
