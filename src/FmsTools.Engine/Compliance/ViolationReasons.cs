namespace FmsTools.Engine.Compliance
{
    /// <summary>Human text for FMS's violation reason codes (botocore's ViolationReason enumeration).</summary>
    public static class ViolationReasons
    {
        private static readonly Dictionary<string, string> Descriptions = new Dictionary<string, string>(System.StringComparer.Ordinal)
        {
            ["WEB_ACL_MISSING_RULE_GROUP"] = "The web ACL lacks a rule group the policy requires.",
            ["RESOURCE_MISSING_WEB_ACL"] = "The resource has no web ACL associated.",
            ["RESOURCE_INCORRECT_WEB_ACL"] = "The resource uses a web ACL other than the policy's.",
            ["RESOURCE_MISSING_SHIELD_PROTECTION"] = "The resource is not protected by Shield Advanced.",
            ["RESOURCE_MISSING_WEB_ACL_OR_SHIELD_PROTECTION"] = "The resource has neither the web ACL nor the Shield Advanced protection the policy requires.",
            ["RESOURCE_MISSING_SECURITY_GROUP"] = "The resource lacks the policy's common security group.",
            ["RESOURCE_VIOLATES_AUDIT_SECURITY_GROUP"] = "A security group rule is not allowed by the policy's audit security group.",
            ["SECURITY_GROUP_UNUSED"] = "The security group is not used by any resource.",
            ["SECURITY_GROUP_REDUNDANT"] = "The security group duplicates another one in the same VPC.",
            ["FMS_CREATED_SECURITY_GROUP_EDITED"] = "A security group Firewall Manager created was changed outside the policy.",
            ["MISSING_FIREWALL"] = "The VPC has no Network Firewall the policy requires.",
            ["MISSING_FIREWALL_SUBNET_IN_AZ"] = "An Availability Zone lacks the firewall subnet.",
            ["MISSING_EXPECTED_ROUTE_TABLE"] = "A subnet is not associated with the expected route table.",
            ["NETWORK_FIREWALL_POLICY_MODIFIED"] = "The Network Firewall policy was changed outside the policy.",
            ["FIREWALL_SUBNET_IS_OUT_OF_SCOPE"] = "The firewall subnet is outside the policy's scope.",
            ["INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE"] = "The internet gateway's route table lacks a route through the firewall.",
            ["FIREWALL_SUBNET_MISSING_EXPECTED_ROUTE"] = "The firewall subnet's route table lacks an expected route.",
            ["UNEXPECTED_FIREWALL_ROUTES"] = "Routes point to the firewall where they should not.",
            ["UNEXPECTED_TARGET_GATEWAY_ROUTES"] = "Routes point to a gateway where they should go through the firewall.",
            ["TRAFFIC_INSPECTION_CROSSES_AZ_BOUNDARY"] = "Traffic is inspected by a firewall endpoint in another Availability Zone.",
            ["INVALID_ROUTE_CONFIGURATION"] = "The routes do not send traffic through the firewall as the policy requires.",
            ["MISSING_TARGET_GATEWAY"] = "The expected target gateway is missing.",
            ["INTERNET_TRAFFIC_NOT_INSPECTED"] = "Internet traffic bypasses the firewall.",
            ["BLACK_HOLE_ROUTE_DETECTED"] = "A route points to a target that no longer exists (black hole).",
            ["BLACK_HOLE_ROUTE_DETECTED_IN_FIREWALL_SUBNET"] = "A route in the firewall subnet points to a target that no longer exists.",
            ["RESOURCE_MISSING_DNS_FIREWALL"] = "The VPC lacks the policy's DNS Firewall rule group association.",
            ["ROUTE_HAS_OUT_OF_SCOPE_ENDPOINT"] = "A route uses a firewall endpoint outside the policy's scope.",
            ["FIREWALL_SUBNET_MISSING_VPCE_ENDPOINT"] = "The firewall subnet lacks its VPC endpoint.",
            ["INVALID_NETWORK_ACL_ENTRY"] = "The network ACL's entries differ from the policy's first or last entries.",
            ["WEB_ACL_CONFIGURATION_OR_SCOPE_OF_USE"] = "The web ACL's configuration or the resources it is used for do not match the policy.",
        };

        /// <summary>Every reason code with a description.</summary>
        public static IEnumerable<string> Known => Descriptions.Keys;

        /// <summary>The description of <paramref name="reason"/>, or a sentence naming an unknown code as is.</summary>
        public static string Describe(string? reason)
        {
            if (string.IsNullOrEmpty(reason)) return "No violation reason was given.";
            return Descriptions.TryGetValue(reason!, out var text) ? text : "Violation reason " + reason + " (no description known).";
        }
    }
}
