package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.protocols.core.OperationInfo;

/**
 * Every AWS operation the node serves answers the HTTP method and URI template that the AWS SDK for Java v2
 * marshals it to, read from the SDK's own generated marshaller ({@code SDK_OPERATION_BINDING}) rather than
 * copied by hand, so a typo in a route template cannot hide.
 */
class RouteWireModelTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    /** The operations of the api-routes groups; each must be served (and, like all AWS routes, match the model). */
    private static final List<String> ROUTED_HERE = List.of(
            "CreateThing", "DescribeThing", "UpdateThing", "DeleteThing", "ListThings",
            "CreateThingType", "DescribeThingType", "ListThingTypes", "DeprecateThingType", "DeleteThingType",
            "CreateThingGroup", "DescribeThingGroup", "UpdateThingGroup", "DeleteThingGroup", "ListThingGroups",
            "AddThingToThingGroup", "RemoveThingFromThingGroup", "ListThingsInThingGroup", "ListThingGroupsForThing",
            "CreatePolicy", "GetPolicy", "DeletePolicy", "ListPolicies", "CreatePolicyVersion", "GetPolicyVersion",
            "ListPolicyVersions", "DeletePolicyVersion", "SetDefaultPolicyVersion",
            "AttachPolicy", "DetachPolicy", "ListTargetsForPolicy", "ListAttachedPolicies",
            "AttachPrincipalPolicy", "DetachPrincipalPolicy", "ListPrincipalPolicies", "ListPolicyPrincipals",
            "AttachThingPrincipal", "DetachThingPrincipal", "ListThingPrincipals", "ListPrincipalThings",
            "TestAuthorization", "GetEffectivePolicies",
            "GetLoggingOptions", "SetLoggingOptions", "GetV2LoggingOptions", "SetV2LoggingOptions",
            "SetV2LoggingLevel", "ListV2LoggingLevels", "DeleteV2LoggingLevel",
            "UpdateAccountAuditConfiguration", "DescribeAccountAuditConfiguration", "DeleteAccountAuditConfiguration",
            "StartOnDemandAuditTask", "DescribeAuditTask", "ListAuditTasks", "CancelAuditTask", "ListAuditFindings",
            "DescribeAuditFinding", "CreateAuditSuppression", "DescribeAuditSuppression", "UpdateAuditSuppression",
            "DeleteAuditSuppression", "ListAuditSuppressions", "CreateScheduledAudit", "UpdateScheduledAudit",
            "DescribeScheduledAudit", "ListScheduledAudits", "DeleteScheduledAudit");

    @Test
    void everyAwsRouteHasTheSdkModelsMethodAndUri() throws Exception {
        List<Route> awsRoutes = node.routes().stream()
                .filter(route -> route.signingName().equals(Route.CONTROL_PLANE) && !route.template().startsWith("/rampart/"))
                .toList();
        assertThat(awsRoutes).extracting(Route::operation).containsAll(ROUTED_HERE);
        for (Route route : awsRoutes) {
            OperationInfo model = binding(route.operation());
            assertThat(route.method() + " " + route.template()).as(route.operation())
                    .isEqualTo(model.httpMethod().name() + " " + model.requestUri());
        }
    }

    /** The SDK names CA operations with "Ca" in its class names (RegisterCaCertificateRequestMarshaller). */
    private static OperationInfo binding(String operation) throws ReflectiveOperationException {
        String className = "software.amazon.awssdk.services.iot.transform." + operation.replace("CA", "Ca") + "RequestMarshaller";
        Field field = Class.forName(className).getDeclaredField("SDK_OPERATION_BINDING");
        field.setAccessible(true);
        return (OperationInfo) field.get(null);
    }
}
