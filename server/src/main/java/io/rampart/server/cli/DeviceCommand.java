package io.rampart.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.server.DataDirectory;
import io.rampart.server.Endpoint;
import io.rampart.server.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.CreateThingResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/** {@code rampart device create}: the everyday onboarding flow in one command. */
@Command(name = "device", description = "Onboard devices.", subcommands = DeviceCommand.CreateDevice.class)
public final class DeviceCommand extends Group {

    @Command(name = "create", description = {
            "Create a thing, a key pair and certificate, and a policy; attach the policy to the certificate and the",
            "certificate to the thing; write NAME.cert.pem, NAME.private.key (0600), ca.pem and endpoint.json to DIR."})
    static final class CreateDevice extends NodeCommand {
        @Parameters(paramLabel = "NAME", description = "Thing name (also the file names' prefix).")
        String name;

        @Option(names = "--policy", paramLabel = "FILE", required = true, description = "Policy document (JSON).")
        Path policyFile;

        @Option(names = "--policy-name", paramLabel = "NAME",
                description = "Policy name (default: the file name without extension). An existing policy with the same document is reused.")
        String policyName;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the device's files (created 0700).")
        Path out;

        @Option(names = "--thing-type", paramLabel = "TYPE", description = "Thing type of the new thing.")
        String thingType;

        @Override
        int run(NodeConnection node, Output output) {
            String policy = policyName != null ? policyName : PolicyCommand.policyNameFor(policyFile);
            String document = PolicyCommand.readDocument(policyFile);
            Path certificateFile = out.resolve(name + ".cert.pem");
            Path keyFile = out.resolve(name + ".private.key");
            for (Path existing : List.of(certificateFile, keyFile)) {
                if (Files.exists(existing)) {
                    throw new IllegalArgumentException(existing + " already exists; choose another --out directory");
                }
            }
            IotClient iot = node.iot();
            // CreateThing succeeds for an existing thing with the same settings (AWS makes it idempotent), which would
            // silently give an existing device a second identity; onboarding is for new devices only.
            if (thingExists(iot, name)) {
                throw new IllegalArgumentException("thing " + name + " already exists; device create onboards new devices: "
                        + "choose another name, or delete the thing first");
            }
            DataDirectory deviceDir = DataDirectory.open(out);
            // Undo steps in reverse order, so a failure half-way leaves no orphan thing, certificate or policy.
            Deque<Runnable> undo = new ArrayDeque<>();
            try {
                boolean policyCreated = ensurePolicy(iot, policy, document, output);
                if (policyCreated) {
                    undo.push(() -> iot.deletePolicy(r -> r.policyName(policy)));
                }
                CreateThingResponse thing = iot.createThing(r -> r.thingName(name).thingTypeName(thingType));
                undo.push(() -> iot.deleteThing(r -> r.thingName(name)));
                CreateKeysAndCertificateResponse keys = iot.createKeysAndCertificate(r -> r.setAsActive(true));
                String certificateArn = keys.certificateArn();
                undo.push(() -> {
                    iot.updateCertificate(r -> r.certificateId(keys.certificateId()).newStatus(CertificateStatus.INACTIVE));
                    iot.deleteCertificate(r -> r.certificateId(keys.certificateId()));
                });
                iot.attachPolicy(r -> r.policyName(policy).target(certificateArn));
                undo.push(() -> iot.detachPolicy(r -> r.policyName(policy).target(certificateArn)));
                iot.attachThingPrincipal(r -> r.thingName(name).principal(certificateArn));
                undo.push(() -> iot.detachThingPrincipal(r -> r.thingName(name).principal(certificateArn)));

                deviceDir.writePrivate(keyFile.getFileName().toString(), utf8(keys.keyPair().privateKey()));
                deviceDir.writePublic(certificateFile.getFileName().toString(), utf8(keys.certificatePem()));
                deviceDir.writePublic(DataDirectory.CA_FILE, read(node.caFile()));
                deviceDir.writePublic(DataDirectory.ENDPOINT_FILE, deviceEndpoint(node, certificateArn).toJson());
                undo.clear();

                ObjectNode result = output.object()
                        .put("thingName", thing.thingName())
                        .put("thingArn", thing.thingArn())
                        .put("certificateId", keys.certificateId())
                        .put("certificateArn", certificateArn)
                        .put("policyName", policy);
                ObjectNode files = result.putObject("files");
                files.put("certificate", certificateFile.toString());
                files.put("privateKey", keyFile.toString());
                files.put("ca", out.resolve(DataDirectory.CA_FILE).toString());
                files.put("endpoint", out.resolve(DataDirectory.ENDPOINT_FILE).toString());
                output.print(result, "created thing " + thing.thingName()
                        + "\ncertificate " + keys.certificateId() + " (ACTIVE), policy " + policy + " attached"
                        + "\nwrote " + certificateFile + ", " + keyFile + " (0600), "
                        + out.resolve(DataDirectory.CA_FILE) + ", " + out.resolve(DataDirectory.ENDPOINT_FILE));
                return 0;
            } catch (RuntimeException failure) {
                while (!undo.isEmpty()) {
                    try {
                        undo.pop().run();
                    } catch (RuntimeException undoFailure) {
                        failure.addSuppressed(undoFailure);
                    }
                }
                throw failure;
            }
        }

        private static boolean thingExists(IotClient iot, String name) {
            try {
                iot.describeThing(r -> r.thingName(name));
                return true;
            } catch (ResourceNotFoundException absent) {
                return false;
            }
        }

        /** Creates the policy, or reuses an existing one with the same document; true when it was created now. */
        private static boolean ensurePolicy(IotClient iot, String policy, String document, Output output) {
            try {
                iot.createPolicy(r -> r.policyName(policy).policyDocument(document));
                return true;
            } catch (ResourceAlreadyExistsException exists) {
                String current = iot.getPolicy(r -> r.policyName(policy)).policyDocument();
                if (!output.parseOrText(current).equals(output.parseOrText(document))) {
                    throw new IllegalArgumentException("policy " + policy + " already exists with a different document; "
                            + "give --policy-name to create a new one", exists);
                }
                return false;
            }
        }

        /** The node's endpoint.json when known; otherwise what DescribeEndpoint and the certificate ARN tell. */
        private static Endpoint deviceEndpoint(NodeConnection node, String certificateArn) {
            if (node.endpoint() != null) {
                return node.endpoint();
            }
            String host = node.iot().describeEndpoint(r -> r.endpointType("iot:Data-ATS")).endpointAddress();
            String account = certificateArn.split(":")[4];
            int apiPort = node.apiUrl().getPort() > 0 ? node.apiUrl().getPort() : 443;
            return new Endpoint(host, NodeConfig.DEFAULT_MQTT_PORT, apiPort, node.region(), account);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
