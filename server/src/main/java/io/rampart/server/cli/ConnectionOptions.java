package io.rampart.server.cli;

import io.rampart.common.AwsScope;
import io.rampart.server.DataDirectory;
import io.rampart.server.Endpoint;
import io.rampart.server.NodeConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;

/**
 * How a CLI verb finds the node: the files a node writes into its data directory, each overridable by a flag
 * (so the same verbs drive a remote node with {@code --endpoint URL --ca FILE --credentials FILE}).
 */
final class ConnectionOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory of the node: endpoint.json, credentials and ca.pem are read from it (default: ./rampart-data).")
    Path data;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "API base URL, e.g. https://iot.example.com:8443 (default: from DIR/endpoint.json).")
    URI endpoint;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "PEM file of the CA to trust for the API's certificate (default: DIR/ca.pem).")
    Path ca;

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "AWS shared-credentials file (default: DIR/credentials).")
    Path credentials;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "rampart",
            description = "Profile in the credentials file (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region to sign requests for (default: from endpoint.json, else us-east-1).")
    String region;

    /** Resolves the settings and opens a connection; nothing is sent until a verb makes a call. */
    NodeConnection connect() {
        Path dir = data != null ? data : Path.of(NodeConfig.DEFAULT_DATA_DIRECTORY);
        Path endpointFile = dir.resolve(DataDirectory.ENDPOINT_FILE);
        Endpoint described = endpoint == null || Files.exists(endpointFile) ? Endpoint.read(endpointFile) : null;
        URI url = endpoint != null ? endpoint : described.apiUrl();
        String signingRegion = region != null ? region
                : described != null ? described.region() : AwsScope.DEFAULT_REGION;
        Path caFile = ca != null ? ca : dir.resolve(DataDirectory.CA_FILE);
        Path credentialsFile = credentials != null ? credentials : dir.resolve(DataDirectory.CREDENTIALS_FILE);
        return new NodeConnection(url, signingRegion, described, caFile, readCredentials(credentialsFile, profile));
    }

    private static AwsCredentials readCredentials(Path file, String profile) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no credentials file " + file
                    + ": give --data DIR of a started node, or --credentials FILE");
        }
        ProfileFile profiles = ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build();
        var found = profiles.profile(profile).orElseThrow(() -> new IllegalArgumentException(
                "profile [" + profile + "] is not in " + file + " (profiles there: " + profiles.profiles().keySet() + ")"));
        String keyId = found.property(ProfileProperty.AWS_ACCESS_KEY_ID).orElse(null);
        String secret = found.property(ProfileProperty.AWS_SECRET_ACCESS_KEY).orElse(null);
        if (keyId == null || secret == null) {
            throw new IllegalArgumentException("profile [" + profile + "] in " + file
                    + " needs aws_access_key_id and aws_secret_access_key");
        }
        return AwsBasicCredentials.create(keyId, secret);
    }
}
