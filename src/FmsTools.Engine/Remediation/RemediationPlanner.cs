using System.Text.Json;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Remediation
{
    /// <summary>Inputs that sharpen a plan.</summary>
    public sealed class RemediationPlanningOptions
    {
        /// <summary>
        /// Policies' ManagedServiceData by policy id (from GetPolicy), when known: decides e.g. whether FMS replaces a
        /// customer's web ACL (overrideCustomerWebACLAssociation). Without it the plan says what depends on it.
        /// </summary>
        public IDictionary<string, string>? ManagedServiceDataByPolicyId { get; set; }

        /// <summary>
        /// True when a member role is given (-MemberRoleName): EC2 actions FMS suggests become steps FmsTools carries out in
        /// the member account (<see cref="RemediationStepKind.Ec2Action"/>). False: they stay manual, with their commands.
        /// </summary>
        public bool ExecuteEc2Actions { get; set; }

        /// <summary>The index of the action set to take in each violation's PossibleRemediationActions (-ActionSet); null: FMS's default.</summary>
        public int? ActionSet { get; set; }
    }

    /// <summary>
    /// Plans remediation before anything changes: for each policy whose automatic remediation is off, the
    /// PutPolicy step that turns it on and what FMS will then change per policy type; for each
    /// violation, the chosen (default) remediation's ordered steps, marking those FmsTools cannot carry out and
    /// naming exactly what is missing (FmsTools has FMS, Organizations, WAFv2 read-only and STS clients; no EC2).
    /// </summary>
    public sealed class RemediationPlanner
    {
        /// <summary>What FmsTools' clients can and cannot do; quoted in every MissingCapability.</summary>
        public const string ClientScope = "FmsTools makes EC2 changes only in member accounts it can assume a role in: none given (-MemberRoleName, or Connect-Fms -MemberRoleName)";

        private static readonly Dictionary<string, string> Ec2Apis = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["EC2CreateRouteAction"] = "ec2:CreateRoute",
            ["EC2ReplaceRouteAction"] = "ec2:ReplaceRoute",
            ["EC2DeleteRouteAction"] = "ec2:DeleteRoute",
            ["EC2CopyRouteTableAction"] = "ec2:CreateRouteTable and ec2:CreateRoute (copying a route table)",
            ["EC2ReplaceRouteTableAssociationAction"] = "ec2:ReplaceRouteTableAssociation",
            ["EC2AssociateRouteTableAction"] = "ec2:AssociateRouteTable",
            ["EC2CreateRouteTableAction"] = "ec2:CreateRouteTable",
            ["CreateNetworkAclAction"] = "ec2:CreateNetworkAcl",
            ["ReplaceNetworkAclAssociationAction"] = "ec2:ReplaceNetworkAclAssociation",
            ["CreateNetworkAclEntriesAction"] = "ec2:CreateNetworkAclEntry",
            ["DeleteNetworkAclEntriesAction"] = "ec2:DeleteNetworkAclEntry",
            ["SecurityGroupRuleRemove"] = "ec2:RevokeSecurityGroupIngress/ec2:RevokeSecurityGroupEgress",
            ["SecurityGroupRuleModify"] = "ec2:ModifySecurityGroupRules",
        };

        private static readonly HashSet<string> RouteReasons = new HashSet<string>(StringComparer.Ordinal)
        {
            "MISSING_EXPECTED_ROUTE_TABLE", "INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE", "FIREWALL_SUBNET_MISSING_EXPECTED_ROUTE",
            "UNEXPECTED_FIREWALL_ROUTES", "UNEXPECTED_TARGET_GATEWAY_ROUTES", "TRAFFIC_INSPECTION_CROSSES_AZ_BOUNDARY",
            "INVALID_ROUTE_CONFIGURATION", "MISSING_TARGET_GATEWAY", "INTERNET_TRAFFIC_NOT_INSPECTED", "BLACK_HOLE_ROUTE_DETECTED",
            "BLACK_HOLE_ROUTE_DETECTED_IN_FIREWALL_SUBNET", "ROUTE_HAS_OUT_OF_SCOPE_ENDPOINT",
        };

        /// <summary>Plans for the given policies and their violations (violations of unlisted policies are planned as if remediation were off).</summary>
        public RemediationPlan Plan(IEnumerable<PolicyReference> policies, IEnumerable<FmsViolation> violations, RemediationPlanningOptions? options = null)
        {
            if (policies == null) throw new ArgumentNullException(nameof(policies));
            if (violations == null) throw new ArgumentNullException(nameof(violations));
            options ??= new RemediationPlanningOptions();
            var byId = new Dictionary<string, PolicyReference>(StringComparer.Ordinal);
            foreach (var policy in policies) byId[policy.PolicyId] = policy;
            var violationList = violations.ToList();
            foreach (var v in violationList)
                if (!byId.ContainsKey(v.PolicyId))
                    byId[v.PolicyId] = new PolicyReference(v.PolicyId, v.PolicyName, v.PolicyType, v.Region);

            var steps = new List<RemediationStep>();
            var toEnable = new List<PolicyReference>();
            foreach (var policy in byId.Values.OrderBy(p => p.PolicyName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.PolicyId, StringComparer.Ordinal))
            {
                if (policy.RemediationEnabled) continue;
                var step = EnableStep(policy);
                steps.Add(step);
                if (step.CanExecute) toEnable.Add(policy);
            }
            foreach (var v in violationList.OrderBy(v => v.AccountId, StringComparer.Ordinal).ThenBy(v => v.PolicyName, StringComparer.Ordinal)
                         .ThenBy(v => v.ResourceId, StringComparer.Ordinal))
            {
                var policy = byId[v.PolicyId];
                string? managedServiceData = null;
                options.ManagedServiceDataByPolicyId?.TryGetValue(v.PolicyId, out managedServiceData);
                steps.AddRange(StepsFor(v, policy, managedServiceData, options));
            }
            return new RemediationPlan(steps, toEnable);
        }

        /// <summary>
        /// Reads the non-compliant accounts of the policies (ListComplianceStatus, GetComplianceDetail and, with
        /// <paramref name="includeViolationDetails"/>, GetViolationDetails for possible remediation actions) and plans.
        /// Makes no mutating call.
        /// </summary>
        public async Task<RemediationPlan> PlanAsync(ComplianceService service, IEnumerable<PolicyReference> policies, ComplianceQuery? query = null,
            bool includeViolationDetails = true, RemediationPlanningOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (service == null) throw new ArgumentNullException(nameof(service));
            var policyList = (policies ?? throw new ArgumentNullException(nameof(policies))).ToList();
            var filter = new ComplianceQuery { AccountIds = query?.AccountIds, IncludeViolators = true, Status = FmsComplianceState.NonCompliant };
            var violations = new List<FmsViolation>();
            foreach (var policy in policyList)
            {
                await foreach (var row in service.GetComplianceStatusAsync(policy, filter, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var violation in row.Violations)
                    {
                        if (includeViolationDetails) await service.EnrichAsync(violation, cancellationToken).ConfigureAwait(false);
                        violations.Add(violation);
                    }
                }
            }
            return Plan(policyList, violations, options);
        }

        private static RemediationStep EnableStep(PolicyReference policy)
        {
            var step = new RemediationStep
            {
                PolicyId = policy.PolicyId, PolicyName = policy.PolicyName, PolicyType = policy.PolicyType, Region = policy.Region,
                ResourceId = string.IsNullOrEmpty(policy.PolicyArn) ? policy.PolicyId : policy.PolicyArn, ResourceType = "AWS::FMS::Policy",
                KindValue = RemediationStepKind.EnablePolicyRemediation, Action = "EnableAutomaticRemediation",
                Description = "Turn on automatic remediation (GetPolicy, then PutPolicy with RemediationEnabled=true and the current update token). "
                              + WhatFmsDoes(policy),
                CanExecute = true,
            };
            if (policy.PolicyType == "IMPORT_NETWORK_FIREWALL")
            {
                step.CanExecute = false;
                step.KindValue = RemediationStepKind.ManualAction;
                step.Description = "Imported Network Firewall policies only audit existing firewalls; FMS offers no automatic remediation for them.";
                step.MissingCapability = "none available: FMS does not remediate IMPORT_NETWORK_FIREWALL policies";
            }
            if (string.Equals(policy.PolicyStatus, "OUT_OF_ADMIN_SCOPE", StringComparison.Ordinal))
            {
                step.CanExecute = false;
                step.KindValue = RemediationStepKind.ManualAction;
                step.MissingCapability = "administrative scope: the policy is OUT_OF_ADMIN_SCOPE for this administrator (viewable, not editable)";
            }
            return step;
        }

        /// <summary>What FMS changes once remediation is on, by policy type.</summary>
        public static string WhatFmsDoes(PolicyReference policy)
        {
            var name = policy.PolicyName;
            switch (policy.PolicyType)
            {
                case "WAFV2":
                    return $"FMS associates its web ACL FMManagedWebACLV2-{name}-<UTC ms> with in-scope resources that have no web ACL; resources with another web ACL keep it unless overrideCustomerWebACLAssociation is true (a web ACL of another active FMS policy is never replaced); with webACLSource RETROFIT_EXISTING FMS adds its first and last rule groups to existing web ACLs instead.";
                case "WAF":
                    return "FMS associates its AWS WAF Classic web ACL with in-scope resources that have none.";
                case "SHIELD_ADVANCED":
                    return "FMS adds Shield Advanced protection to in-scope resources and associates an empty web ACL with unprotected resources for monitoring, removing it once another web ACL is associated.";
                case "SECURITY_GROUPS_COMMON":
                    return "FMS associates a replica of the primary security group with in-scope resources (one replica per in-scope VPC) and reverts edits to the replicas.";
                case "SECURITY_GROUPS_CONTENT_AUDIT":
                    return "FMS removes or modifies security group rules the audit group does not allow (its default remediation action per rule).";
                case "SECURITY_GROUPS_USAGE_AUDIT":
                    return "FMS consolidates redundant security groups, then deletes groups unused for longer than the policy's delay.";
                case "DNS_FIREWALL":
                    return "FMS associates the policy's DNS Firewall rule groups with in-scope VPCs.";
                case "NETWORK_FIREWALL":
                    return "FMS creates the firewall, firewall subnets and endpoints in in-scope VPCs and restores the firewall policy; route changes are reported with suggested actions, some of which need EC2.";
                case "NETWORK_ACL_COMMON":
                    return "FMS enforces the policy's first and last entries on the network ACLs of in-scope subnets (conflicting entries only with force remediation).";
                case "THIRD_PARTY_FIREWALL":
                    return "FMS creates the third-party firewall endpoints and subnets in in-scope VPCs.";
                default:
                    return "FMS remediates in-scope resources as the policy type defines.";
            }
        }

        private static IEnumerable<RemediationStep> StepsFor(FmsViolation v, PolicyReference policy, string? managedServiceData, RemediationPlanningOptions options)
        {
            RemediationStep NewStep(int order) => new RemediationStep
            {
                PolicyId = v.PolicyId, PolicyName = v.PolicyName, PolicyType = string.IsNullOrEmpty(v.PolicyType) ? policy.PolicyType : v.PolicyType,
                AccountId = v.AccountId, AccountName = v.AccountName, Region = v.Region, ResourceId = v.ResourceId, ResourceType = v.ResourceType,
                Reason = v.Reason, Order = order,
            };
            var remediationNote = policy.RemediationEnabled ? " Remediation is already on: FMS should converge (security group changes on network interfaces can take up to 6 hours)."
                : " Happens once the policy's automatic remediation is on.";

            var option = v.DefaultRemediation;
            if (options.ActionSet is int index && v.PossibleRemediationActions.Count > 0)
            {
                if (index >= v.PossibleRemediationActions.Count)
                {
                    var missing = NewStep(1);
                    missing.KindValue = RemediationStepKind.ManualAction;
                    missing.Action = "ActionSet";
                    missing.Description = $"-ActionSet {index} names no action set of this violation: FMS offers {v.PossibleRemediationActions.Count} (0-{v.PossibleRemediationActions.Count - 1}).";
                    missing.MissingCapability = $"an action set at index {index} (this violation has {v.PossibleRemediationActions.Count})";
                    yield return missing;
                    yield break;
                }
                option = v.PossibleRemediationActions[index];
            }
            if (option != null && option.Actions.Count > 0)
            {
                var ec2 = options.ExecuteEc2Actions ? Ec2Plan(option) : null;
                foreach (var action in option.Actions)
                {
                    var step = NewStep(action.Order);
                    step.Action = action.ActionType;
                    step.Description = (action.Description.Length > 0 ? action.Description : option.Description)
                                       + (action.TargetResourceId.Length > 0 ? $" (target {action.TargetResourceId})" : "");
                    // FMS reports network ACL actions as not remediable while the policy's automatic remediation is off: without a member
                    // role to make them, turning remediation on is the way (conflicting entries still need force remediation).
                    var fmsDoesIt = action.FMSCanRemediate == true
                                    || (action.FMSCanRemediate == null && action.ActionType.StartsWith("SecurityGroupRule", StringComparison.Ordinal)
                                        && step.PolicyType == "SECURITY_GROUPS_CONTENT_AUDIT")
                                    || (action.FMSCanRemediate == false && !policy.RemediationEnabled && !options.ExecuteEc2Actions
                                        && action.ActionType.IndexOf("NetworkAcl", StringComparison.Ordinal) >= 0);
                    if (fmsDoesIt)
                    {
                        step.KindValue = RemediationStepKind.FmsAutomaticRemediation;
                        step.CanExecute = true;
                        step.Description += "." + remediationNote;
                    }
                    else
                    {
                        step.KindValue = RemediationStepKind.ManualAction;
                        step.CanExecute = false;
                        step.MissingCapability = MissingFor(action.ActionType);
                        if (ec2 != null)
                        {
                            if (ec2.Blocker == null)
                            {
                                step.KindValue = RemediationStepKind.Ec2Action;
                                step.CanExecute = true;
                                step.MissingCapability = "";
                                step.Ec2Operations = ec2.Operations[action];
                                step.Description += ". EC2: " + string.Join("; ", step.Ec2Operations.Select(o => o.Text));
                            }
                            else step.MissingCapability = ec2.Blocker;
                        }
                        var commands = Ec2CommandBuilder.Build(action.WireAction, step.Region);
                        if (commands != null)
                        {
                            step.AwsCliCommands = commands.AwsCli;
                            step.PowerShellCommands = commands.PowerShell;
                        }
                    }
                    yield return step;
                }
                yield break;
            }

            var single = NewStep(1);
            var reason = v.Reason;
            if (RouteReasons.Contains(reason))
            {
                single.KindValue = RemediationStepKind.ManualAction;
                single.Action = "FixRoutes";
                single.Description = ViolationReasons.Describe(reason) + " Change the VPC's route tables as the violation details describe (read them with -IncludeDetails).";
                single.MissingCapability = "ec2:CreateRoute/ec2:ReplaceRoute/ec2:DeleteRoute/ec2:AssociateRouteTable (" + ClientScope + ")";
            }
            else if (reason == "RESOURCE_INCORRECT_WEB_ACL" && !OverridesCustomerWebAcl(managedServiceData))
            {
                single.KindValue = RemediationStepKind.ManualAction;
                single.Action = "ReplaceWebAcl";
                single.Description = "The resource uses another web ACL, which FMS keeps while overrideCustomerWebACLAssociation is false"
                                     + (managedServiceData == null ? " (the policy's setting was not read)." : ".");
                single.MissingCapability = "policy setting overrideCustomerWebACLAssociation=true in the policy's ManagedServiceData (change it with the policy cmdlets), "
                                           + "or wafv2:DisassociateWebACL on the resource (" + ClientScope + ")";
            }
            else if (reason == "WEB_ACL_CONFIGURATION_OR_SCOPE_OF_USE")
            {
                single.KindValue = RemediationStepKind.ManualAction;
                single.Action = "ReviewWebAcl";
                single.Description = ViolationReasons.Describe(reason);
                single.MissingCapability = "wafv2:UpdateWebACL or wafv2:DisassociateWebACL (" + ClientScope + ")";
            }
            else if (reason == "FIREWALL_SUBNET_IS_OUT_OF_SCOPE")
            {
                single.KindValue = RemediationStepKind.ManualAction;
                single.Action = "ReviewPolicyScope";
                single.Description = ViolationReasons.Describe(reason) + " Bring the subnet into the policy's scope or remove the firewall subnet.";
                single.MissingCapability = "a policy scope change (policy cmdlets) or ec2:DeleteSubnet (" + ClientScope + ")";
            }
            else if (policy.PolicyType == "IMPORT_NETWORK_FIREWALL")
            {
                single.KindValue = RemediationStepKind.ManualAction;
                single.Action = "FixImportedFirewall";
                single.Description = ViolationReasons.Describe(reason);
                single.MissingCapability = "network-firewall APIs (" + ClientScope + "); FMS does not remediate imported firewall policies";
            }
            else
            {
                single.KindValue = RemediationStepKind.FmsAutomaticRemediation;
                single.Action = ActionFor(reason);
                single.Description = AutomaticDescription(reason, policy) + remediationNote;
                single.CanExecute = true;
            }
            yield return single;
        }

        /// <summary>The EC2 calls of every step FMS does not make itself, or why FmsTools runs none of them.</summary>
        private sealed class Ec2OptionPlan
        {
            public Dictionary<FmsRemediationActionStep, IReadOnlyList<Ec2Operation>> Operations { get; } = new Dictionary<FmsRemediationActionStep, IReadOnlyList<Ec2Operation>>();
            public string? Blocker { get; set; }
        }

        // All or nothing: running some steps of an ordered remediation and not others could leave a VPC half changed.
        private static Ec2OptionPlan Ec2Plan(FmsRemediationOption option)
        {
            var plan = new Ec2OptionPlan();
            foreach (var action in option.Actions.OrderBy(a => a.Order))
            {
                if (action.FMSCanRemediate == true) continue;
                if (action.ActionType.StartsWith("SecurityGroupRule", StringComparison.Ordinal))
                {
                    plan.Blocker = $"step {action.Order} ({action.ActionType}) is not made by FmsTools: FMS describes the security group rule by its content "
                                   + "(protocol, ports, peer), not by a rule id, which does not single out one rule to revoke or modify without doubt; run the commands by hand";
                    return plan;
                }
                var operations = Ec2ActionTranslator.Translate(action.WireAction, out var reason);
                if (operations == null)
                {
                    plan.Blocker = $"step {action.Order} ({action.ActionType}) cannot be carried out by FmsTools: {reason}; so none of this remediation's EC2 steps is run (run them by hand or take another -ActionSet)";
                    return plan;
                }
                plan.Operations[action] = operations;
            }
            return plan;
        }

        private static string MissingFor(string actionType)
        {
            if (actionType == "FMSPolicyUpdateFirewallCreationConfigAction")
                return "a policy change: firewallCreationConfig in the policy's ManagedServiceData (policy cmdlets)";
            return (Ec2Apis.TryGetValue(actionType, out var api) ? api : "an API for " + actionType) + " (" + ClientScope + ")";
        }

        private static bool OverridesCustomerWebAcl(string? managedServiceData)
        {
            if (string.IsNullOrWhiteSpace(managedServiceData)) return false;
            try
            {
                using (var document = JsonDocument.Parse(managedServiceData!))
                    return document.RootElement.ValueKind == JsonValueKind.Object
                           && document.RootElement.TryGetProperty("overrideCustomerWebACLAssociation", out var value)
                           && value.ValueKind == JsonValueKind.True;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static string ActionFor(string reason)
        {
            switch (reason)
            {
                case "RESOURCE_MISSING_WEB_ACL":
                case "RESOURCE_INCORRECT_WEB_ACL": return "AssociateWebAcl";
                case "WEB_ACL_MISSING_RULE_GROUP": return "AddRuleGroups";
                case "RESOURCE_MISSING_SHIELD_PROTECTION":
                case "RESOURCE_MISSING_WEB_ACL_OR_SHIELD_PROTECTION": return "AddShieldProtection";
                case "RESOURCE_MISSING_SECURITY_GROUP": return "AssociateSecurityGroup";
                case "FMS_CREATED_SECURITY_GROUP_EDITED": return "RevertSecurityGroup";
                case "RESOURCE_VIOLATES_AUDIT_SECURITY_GROUP": return "RemediateSecurityGroupRules";
                case "SECURITY_GROUP_UNUSED": return "DeleteUnusedSecurityGroup";
                case "SECURITY_GROUP_REDUNDANT": return "ConsolidateSecurityGroup";
                case "RESOURCE_MISSING_DNS_FIREWALL": return "AssociateDnsFirewallRuleGroups";
                case "INVALID_NETWORK_ACL_ENTRY": return "EnforceNetworkAclEntries";
                case "MISSING_FIREWALL":
                case "MISSING_FIREWALL_SUBNET_IN_AZ":
                case "FIREWALL_SUBNET_MISSING_VPCE_ENDPOINT": return "CreateFirewall";
                case "NETWORK_FIREWALL_POLICY_MODIFIED": return "RestoreFirewallPolicy";
                default: return "FmsRemediation";
            }
        }

        private static string AutomaticDescription(string reason, PolicyReference policy)
        {
            switch (reason)
            {
                case "RESOURCE_MISSING_WEB_ACL":
                    return policy.PolicyType == "WAFV2"
                        ? $"FMS associates its web ACL FMManagedWebACLV2-{policy.PolicyName}-<UTC ms> with the resource."
                        : "FMS associates the policy's web ACL with the resource.";
                case "RESOURCE_INCORRECT_WEB_ACL":
                    return "FMS replaces the resource's web ACL with its own (overrideCustomerWebACLAssociation is true), unless the other web ACL belongs to another active FMS policy.";
                case "WEB_ACL_MISSING_RULE_GROUP":
                    return "FMS adds the policy's rule groups to its web ACL.";
                case "RESOURCE_MISSING_SHIELD_PROTECTION":
                case "RESOURCE_MISSING_WEB_ACL_OR_SHIELD_PROTECTION":
                    return "FMS adds Shield Advanced protection to the resource (and associates an empty web ACL for monitoring where none is).";
                case "RESOURCE_MISSING_SECURITY_GROUP":
                    return "FMS associates the replica of the policy's primary security group with the resource.";
                case "FMS_CREATED_SECURITY_GROUP_EDITED":
                    return "FMS reverts the edited replica to the primary security group's rules.";
                case "RESOURCE_VIOLATES_AUDIT_SECURITY_GROUP":
                    return "FMS removes or modifies the rules the audit security group does not allow (its default action per rule).";
                case "SECURITY_GROUP_UNUSED":
                    return "FMS deletes the unused security group once the policy's unused delay has passed.";
                case "SECURITY_GROUP_REDUNDANT":
                    return "FMS replaces the redundant security group with its duplicate on the resources that use it.";
                case "RESOURCE_MISSING_DNS_FIREWALL":
                    return "FMS associates the policy's DNS Firewall rule groups with the VPC.";
                case "INVALID_NETWORK_ACL_ENTRY":
                    return "FMS enforces the policy's first and last entries on the network ACL (conflicting entries only with force remediation).";
                case "MISSING_FIREWALL":
                case "MISSING_FIREWALL_SUBNET_IN_AZ":
                case "FIREWALL_SUBNET_MISSING_VPCE_ENDPOINT":
                    return "FMS creates the missing firewall, firewall subnet or endpoint.";
                case "NETWORK_FIREWALL_POLICY_MODIFIED":
                    return "FMS restores the firewall policy the policy defines.";
                default:
                    return ViolationReasons.Describe(reason) + " FMS remediates it per the policy type.";
            }
        }
    }
}
