package io.rampart.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.server.DataDirectory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rampart access-key create|list|delete}: Rampart's own routes under {@code /rampart/access-keys}
 * (AWS manages keys in IAM, which Rampart does not have), signed with SigV4 like every other call.
 */
@Command(name = "access-key", description = "Create, list and delete the access keys that may call the API.",
        subcommands = {AccessKeyCommand.CreateKey.class, AccessKeyCommand.ListKeys.class, AccessKeyCommand.DeleteKey.class})
public final class AccessKeyCommand extends Group {
    static final String PATH = "/rampart/access-keys";

    @Command(name = "create", description = {
            "Create an access key. Its secret is printed once (or written with --out) and cannot be shown again.",
            "Read-only keys may call only Describe/List/Get-style operations."})
    static final class CreateKey extends NodeCommand {
        @Option(names = "--read-only", description = "Make a read-only key (default: an admin key).")
        boolean readOnly;

        @Option(names = "--name", paramLabel = "NAME", description = "A name to recognise the key by (default: admin or read-only).")
        String name;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Write the key to FILE (mode 0600) as an AWS shared-credentials file, profile 'rampart', instead of printing the secret.")
        Path outFile;

        @Override
        int run(NodeConnection node, Output out) {
            if (outFile != null && Files.exists(outFile)) {
                throw new IllegalArgumentException(outFile + " already exists; give another --out FILE");
            }
            ObjectNode request = out.object()
                    .put("name", name != null ? name : readOnly ? "read-only" : "admin")
                    .put("readOnly", readOnly);
            JsonNode created = node.call("POST", PATH, request);
            String keyId = created.path("accessKeyId").asText();
            String secret = created.path("secretAccessKey").asText();
            if (outFile != null) {
                Path parent = outFile.toAbsolutePath().getParent();
                DataDirectory.open(parent).writePrivate(outFile.getFileName().toString(),
                        ("[rampart]\naws_access_key_id = " + keyId + "\naws_secret_access_key = " + secret + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                ObjectNode shown = created.deepCopy();
                shown.remove("secretAccessKey");
                shown.put("credentialsFile", outFile.toString());
                out.print(shown, "created " + role(created) + " key " + keyId + " (" + created.path("name").asText()
                        + "); written to " + outFile + " (profile rampart)");
            } else {
                out.print(created, "created " + role(created) + " key " + keyId + " (" + created.path("name").asText() + ")"
                        + "\naws_access_key_id = " + keyId
                        + "\naws_secret_access_key = " + secret
                        + "\n(the secret is shown only now)");
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List access keys (never their secrets).")
    static final class ListKeys extends NodeCommand {
        @Override
        int run(NodeConnection node, Output out) {
            ArrayNode keys = out.array();
            List<List<String>> rows = new ArrayList<>();
            String token = null;
            do {
                String path = PATH + (token == null ? "" : "?nextToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
                JsonNode page = node.call("GET", path, null);
                for (JsonNode key : page.path("accessKeys")) {
                    keys.add(key);
                    rows.add(List.of(key.path("accessKeyId").asText(), role(key), key.path("name").asText(),
                            Instant.ofEpochSecond(key.path("createdAt").asLong()).toString()));
                }
                token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            } while (token != null);
            ObjectNode document = out.object();
            document.set("accessKeys", keys);
            out.table(document, List.of("ID", "ROLE", "NAME", "CREATED"), rows);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an access key (the last admin key cannot be deleted).")
    static final class DeleteKey extends NodeCommand {
        @Parameters(paramLabel = "ID", description = "Access key id (AKIA...).")
        String accessKeyId;

        @Override
        int run(NodeConnection node, Output out) {
            node.call("DELETE", PATH + "/" + URLEncoder.encode(accessKeyId, StandardCharsets.UTF_8), null);
            out.print(out.object().put("deleted", accessKeyId), "deleted access key " + accessKeyId);
            return 0;
        }
    }

    private static String role(JsonNode key) {
        return key.path("readOnly").asBoolean() ? "read-only" : "admin";
    }
}
