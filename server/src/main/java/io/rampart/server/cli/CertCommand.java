package io.rampart.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.iot.model.Certificate;
import software.amazon.awssdk.services.iot.model.CertificateDescription;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.Policy;

/** {@code rampart cert list|describe|revoke|deactivate|activate}. */
@Command(name = "cert", description = "List, describe and change the status of device certificates.",
        subcommands = {CertCommand.ListCertificates.class, CertCommand.DescribeCertificate.class,
                CertCommand.Revoke.class, CertCommand.Deactivate.class, CertCommand.Activate.class})
public final class CertCommand extends Group {

    @Command(name = "list", description = "List all certificates (every page).")
    static final class ListCertificates extends NodeCommand {
        @Override
        int run(NodeConnection node, Output out) {
            ArrayNode certificates = out.array();
            List<List<String>> rows = new ArrayList<>();
            for (Certificate certificate : node.iot().listCertificatesPaginator(r -> { }).certificates()) {
                certificates.addObject()
                        .put("certificateId", certificate.certificateId())
                        .put("certificateArn", certificate.certificateArn())
                        .put("status", certificate.statusAsString())
                        .put("creationDate", text(certificate.creationDate()));
                rows.add(List.of(certificate.certificateId(), certificate.statusAsString(), text(certificate.creationDate())));
            }
            ObjectNode document = out.object();
            document.set("certificates", certificates);
            out.table(document, List.of("ID", "STATUS", "CREATED"), rows);
            return 0;
        }
    }

    @Command(name = "describe", description = "Show a certificate, the things it is attached to and its policies.")
    static final class DescribeCertificate extends NodeCommand {
        @Parameters(paramLabel = "ID", description = "Certificate id (64 hex characters).")
        String id;

        @Override
        int run(NodeConnection node, Output out) {
            CertificateDescription certificate = node.iot().describeCertificate(r -> r.certificateId(id))
                    .certificateDescription();
            String arn = certificate.certificateArn();
            List<String> things = node.iot().listPrincipalThingsPaginator(r -> r.principal(arn)).things()
                    .stream().toList();
            List<String> policies = node.iot().listAttachedPoliciesPaginator(r -> r.target(arn)).policies()
                    .stream().map(Policy::policyName).toList();
            ObjectNode document = out.object()
                    .put("certificateId", certificate.certificateId())
                    .put("certificateArn", arn)
                    .put("status", certificate.statusAsString())
                    .put("caCertificateId", certificate.caCertificateId())
                    .put("creationDate", text(certificate.creationDate()))
                    .put("notBefore", certificate.validity() == null ? null : text(certificate.validity().notBefore()))
                    .put("notAfter", certificate.validity() == null ? null : text(certificate.validity().notAfter()));
            things.forEach(document.putArray("things")::add);
            policies.forEach(document.putArray("policies")::add);
            String human = "id:       " + certificate.certificateId()
                    + "\narn:      " + arn
                    + "\nstatus:   " + certificate.statusAsString()
                    + "\nca:       " + ThingCommand.nullToDash(certificate.caCertificateId())
                    + "\ncreated:  " + text(certificate.creationDate())
                    + (certificate.validity() == null ? "" : "\nvalid:    " + text(certificate.validity().notBefore())
                            + " .. " + text(certificate.validity().notAfter()))
                    + "\nthings:   " + (things.isEmpty() ? "-" : String.join(", ", things))
                    + "\npolicies: " + (policies.isEmpty() ? "-" : String.join(", ", policies));
            out.print(document, human);
            return 0;
        }
    }

    /** The three status changes share one shape: UpdateCertificate with a new status. */
    abstract static class StatusChange extends NodeCommand {
        @Parameters(paramLabel = "ID", description = "Certificate id (64 hex characters).")
        String id;

        abstract CertificateStatus newStatus();

        @Override
        int run(NodeConnection node, Output out) {
            node.iot().updateCertificate(r -> r.certificateId(id).newStatus(newStatus()));
            out.print(out.object().put("certificateId", id).put("status", newStatus().toString()),
                    "certificate " + id + " is now " + newStatus());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a certificate (final: it can never be activated again).")
    static final class Revoke extends StatusChange {
        @Override
        CertificateStatus newStatus() {
            return CertificateStatus.REVOKED;
        }
    }

    @Command(name = "deactivate", description = "Make a certificate INACTIVE (its device can no longer connect).")
    static final class Deactivate extends StatusChange {
        @Override
        CertificateStatus newStatus() {
            return CertificateStatus.INACTIVE;
        }
    }

    @Command(name = "activate", description = "Make a certificate ACTIVE again.")
    static final class Activate extends StatusChange {
        @Override
        CertificateStatus newStatus() {
            return CertificateStatus.ACTIVE;
        }
    }

    static String text(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }
}
