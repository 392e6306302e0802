/**
 * AWS IoT policies: parse and validate documents ({@link io.rampart.policy.PolicyDocument}), and decide requests
 * ({@link io.rampart.policy.PolicyEngine}) exactly as AWS IoT Core does.
 *
 * <p>Semantics, each confirmed against the AWS IoT Developer Guide and the IAM User Guide:
 * <ul>
 *   <li>An explicit Deny in any policy of the list beats every Allow; without a matching Allow the request is
 *       implicitly denied. The registry passes the certificate's policies and those of the thing's groups.</li>
 *   <li>{@code *} and {@code ?} are the only wildcards; MQTT's {@code +} and {@code #} are literal. Actions are
 *       case-insensitive, resources case-sensitive. {@code ${*}}, {@code ${?}}, {@code ${$}} stand for the plain
 *       characters.</li>
 *   <li>Policy variables ({@code iot:ClientId}, {@code iot:Connection.Thing.*}, {@code iot:Certificate.*},
 *       {@code aws:SourceIp}, {@code aws:CurrentTime}, {@code aws:EpochTime}) are substituted as literal text,
 *       never as a pattern. A variable without a value makes its element fail to match and is reported in
 *       {@link io.rampart.policy.Evaluation#missingContextValues()}. Thing variables need the thing attached to
 *       the principal. Certificate values containing {@code * $ + ? #} or longer than 1,024 characters are not
 *       substituted, and certificate arrays are cut to five values (AWS's documented limits).
 *       {@link io.rampart.policy.SubstitutionMode#STRICT} (the default) additionally refuses Allow grants through
 *       values containing MQTT wildcards, so a client id {@code +} cannot subscribe to every client's topics.</li>
 *   <li>Conditions: IAM's operators (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress,
 *       Arn*, Null), {@code ...IfExists}, {@code ForAnyValue:}/{@code ForAllValues:}; a missing key makes a
 *       condition false except for negated operators, IfExists and ForAllValues (IAM rule).</li>
 * </ul>
 */
package io.rampart.policy;
