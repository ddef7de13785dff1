using FmsTools.Aws.Fms;
using FmsTools.Engine.Organization;

namespace FmsTools.Engine.Compliance
{
    /// <summary>Turns FMS wire shapes into FmsTools' own output types.</summary>
    internal static class ComplianceMapping
    {
        public static FmsComplianceState StateOf(IReadOnlyCollection<EvaluationResult>? results, out long violatorCount, out bool limitExceeded)
        {
            violatorCount = 0;
            limitExceeded = false;
            if (results == null || results.Count == 0) return FmsComplianceState.Unknown;
            var state = FmsComplianceState.Unknown;
            foreach (var result in results)
            {
                if (result.EvaluationLimitExceeded == true) limitExceeded = true;
                if (string.Equals(result.ComplianceStatus, PolicyComplianceStatusTypeValues.NonCompliant, StringComparison.Ordinal))
                {
                    state = FmsComplianceState.NonCompliant;
                    violatorCount += result.ViolatorCount ?? 0;
                }
                else if (string.Equals(result.ComplianceStatus, PolicyComplianceStatusTypeValues.Compliant, StringComparison.Ordinal)
                         && state == FmsComplianceState.Unknown)
                {
                    state = FmsComplianceState.Compliant;
                }
            }
            return state;
        }

        public static FmsComplianceStatus ToStatus(PolicyComplianceStatus wire, PolicyReference policy, OrganizationAccount account)
        {
            var state = StateOf(wire.EvaluationResults, out var violators, out var limit);
            return new FmsComplianceStatus
            {
                PolicyId = wire.PolicyId ?? policy.PolicyId,
                PolicyName = wire.PolicyName ?? policy.PolicyName,
                PolicyType = policy.PolicyType,
                Region = policy.Region,
                IsGlobal = policy.IsGlobal,
                AccountId = account.AccountId,
                AccountName = account.AccountName,
                OrganizationalUnitPath = account.OrganizationalUnitPath,
                StatusValue = state,
                ViolatorCount = violators,
                EvaluationLimitExceeded = limit,
                LastUpdated = wire.LastUpdated,
                IssueInfo = Copy(wire.IssueInfoMap),
                PolicyOwner = wire.PolicyOwner ?? "",
            };
        }

        /// <summary>Adds GetComplianceDetail's violators, counts by reason, limit flag and staleness to a row.</summary>
        public static void ApplyDetail(FmsComplianceStatus row, PolicyComplianceDetail? detail)
        {
            row.DetailRetrieved = true;
            if (detail == null) return;
            var violations = new List<FmsViolation>(detail.Violators?.Count ?? 0);
            var byReason = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var violator in detail.Violators ?? new List<ComplianceViolator>())
            {
                var violation = ToViolation(violator, row);
                violations.Add(violation);
                byReason.TryGetValue(violation.Reason, out var count);
                byReason[violation.Reason] = count + 1;
            }
            row.Violations = violations;
            row.ViolationsByReason = byReason;
            if (detail.EvaluationLimitExceeded == true) row.EvaluationLimitExceeded = true;
            row.ExpiredAt = detail.ExpiredAt;
            if (detail.IssueInfoMap != null && detail.IssueInfoMap.Count > 0) row.IssueInfo = Copy(detail.IssueInfoMap);
            // ListComplianceStatus may lag behind the detail; never report fewer violators than were listed.
            if (row.ViolatorCount < violations.Count) row.ViolatorCount = violations.Count;
            if (violations.Count > 0) row.StatusValue = FmsComplianceState.NonCompliant;
        }

        public static FmsViolation ToViolation(ComplianceViolator violator, FmsComplianceStatus row)
        {
            var reason = violator.ViolationReason ?? "";
            return new FmsViolation
            {
                PolicyId = row.PolicyId,
                PolicyName = row.PolicyName,
                PolicyType = row.PolicyType,
                Region = row.Region,
                AccountId = row.AccountId,
                AccountName = row.AccountName,
                ResourceId = violator.ResourceId ?? "",
                ResourceType = violator.ResourceType ?? "",
                Reason = reason,
                ReasonDescription = ViolationReasons.Describe(reason),
                Metadata = Copy(violator.Metadata),
            };
        }

        /// <summary>Adds GetViolationDetails' answer to a violation.</summary>
        public static void Enrich(FmsViolation violation, ViolationDetail? detail)
        {
            violation.IsEnriched = true;
            if (detail == null) return;
            var details = new List<FmsViolationDetail>();
            var options = new List<FmsRemediationOption>();
            foreach (var resourceViolation in RelevantTo(violation.Reason, detail.ResourceViolations ?? new List<ResourceViolation>()))
            {
                details.AddRange(Describe(resourceViolation));
                if (resourceViolation.PossibleRemediationActions != null)
                    options.AddRange(ToOptions(resourceViolation.PossibleRemediationActions));
                var sg = resourceViolation.AwsVPCSecurityGroupViolation;
                if (sg?.PossibleSecurityGroupRemediationActions != null)
                    options.AddRange(ToOptions(sg));
            }
            violation.Details = details;
            violation.PossibleRemediationActions = options;
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in detail.ResourceTags ?? new List<Tag>())
                if (tag.Key != null) tags[tag.Key] = tag.Value ?? "";
            violation.ResourceTags = tags;
            violation.ResourceDescription = detail.ResourceDescription ?? "";
        }

        /// <summary>The shape GetViolationDetails uses for each Network Firewall route reason.</summary>
        private static readonly Dictionary<string, Func<ResourceViolation, bool>> RouteShapes = new Dictionary<string, Func<ResourceViolation, bool>>(StringComparer.Ordinal)
        {
            ["MISSING_EXPECTED_ROUTE_TABLE"] = v => v.NetworkFirewallMissingExpectedRTViolation != null,
            ["INTERNET_TRAFFIC_NOT_INSPECTED"] = v => v.NetworkFirewallInternetTrafficNotInspectedViolation != null,
            ["INVALID_ROUTE_CONFIGURATION"] = v => v.NetworkFirewallInvalidRouteConfigurationViolation != null,
            ["BLACK_HOLE_ROUTE_DETECTED"] = v => v.NetworkFirewallBlackHoleRouteDetectedViolation != null,
            ["BLACK_HOLE_ROUTE_DETECTED_IN_FIREWALL_SUBNET"] = v => v.NetworkFirewallBlackHoleRouteDetectedViolation != null,
            ["UNEXPECTED_FIREWALL_ROUTES"] = v => v.NetworkFirewallUnexpectedFirewallRoutesViolation != null,
            ["UNEXPECTED_TARGET_GATEWAY_ROUTES"] = v => v.NetworkFirewallUnexpectedGatewayRoutesViolation != null,
            ["INTERNET_GATEWAY_MISSING_EXPECTED_ROUTE"] = v => v.NetworkFirewallMissingExpectedRoutesViolation != null,
            ["FIREWALL_SUBNET_MISSING_EXPECTED_ROUTE"] = v => v.NetworkFirewallMissingExpectedRoutesViolation != null,
            ["ROUTE_HAS_OUT_OF_SCOPE_ENDPOINT"] = v => v.RouteHasOutOfScopeEndpointViolation != null,
        };

        /// <summary>
        /// GetViolationDetails answers per resource, so a VPC with two route reasons gets both shapes (and both sets of
        /// remediation actions). For a route reason keep the shapes of that reason, when there are any.
        /// </summary>
        private static IEnumerable<ResourceViolation> RelevantTo(string reason, List<ResourceViolation> all)
        {
            if (!RouteShapes.TryGetValue(reason ?? "", out var matches)) return all;
            var relevant = all.Where(matches).ToList();
            return relevant.Count > 0 ? relevant : all;
        }

        public static IEnumerable<FmsRemediationOption> ToOptions(PossibleRemediationActions actions)
        {
            foreach (var action in actions.Actions ?? new List<PossibleRemediationAction>())
            {
                var steps = (action.OrderedRemediationActions ?? new List<RemediationActionWithOrder>())
                    .OrderBy(a => a.Order ?? int.MaxValue)
                    .Select((a, index) => { var step = ToStep(a.RemediationAction, a.Order ?? index + 1); step.WireAction = a.RemediationAction; return step; })
                    .ToList();
                yield return new FmsRemediationOption(action.Description ?? actions.Description ?? "", steps, action.IsDefaultAction == true);
            }
        }

        private static IEnumerable<FmsRemediationOption> ToOptions(AwsVPCSecurityGroupViolation sg)
        {
            foreach (var action in sg.PossibleSecurityGroupRemediationActions!)
            {
                var text = action.Description ?? "";
                var rule = action.RemediationResult;
                if (rule != null) text = (text.Length > 0 ? text + " " : "") + "Resulting rule: " + DescribeRule(rule) + ".";
                var step = new FmsRemediationActionStep(1, "SecurityGroupRule" + Capitalise(action.RemediationActionType), text,
                    sg.ViolationTarget ?? "", null);
                yield return new FmsRemediationOption(action.Description ?? "", new[] { step }, action.IsDefaultAction == true);
            }
        }

        private static string Capitalise(string? value)
        {
            if (string.IsNullOrEmpty(value)) return "";
            var lower = value!.ToLowerInvariant();
            return char.ToUpperInvariant(lower[0]) + lower.Substring(1);
        }

        private static FmsRemediationActionStep ToStep(RemediationAction? action, int order)
        {
            if (action == null) return new FmsRemediationActionStep(order, "Unknown", "FMS listed an empty action.", "", null);
            string Text(string? own) => !string.IsNullOrEmpty(own) ? own! : action.Description ?? "";
            if (action.EC2CreateRouteAction is { } createRoute)
                return new FmsRemediationActionStep(order, "EC2CreateRouteAction",
                    Text(createRoute.Description) + $" Create route {Destination(createRoute.DestinationCidrBlock, createRoute.DestinationIpv6CidrBlock, createRoute.DestinationPrefixListId)} -> {createRoute.GatewayId?.ResourceId ?? createRoute.VpcEndpointId?.ResourceId}.",
                    createRoute.RouteTableId?.ResourceId ?? "", null);
            if (action.EC2ReplaceRouteAction is { } replaceRoute)
                return new FmsRemediationActionStep(order, "EC2ReplaceRouteAction",
                    Text(replaceRoute.Description) + $" Replace route {Destination(replaceRoute.DestinationCidrBlock, replaceRoute.DestinationIpv6CidrBlock, replaceRoute.DestinationPrefixListId)} -> {replaceRoute.GatewayId?.ResourceId}.",
                    replaceRoute.RouteTableId?.ResourceId ?? "", null);
            if (action.EC2DeleteRouteAction is { } deleteRoute)
                return new FmsRemediationActionStep(order, "EC2DeleteRouteAction",
                    Text(deleteRoute.Description) + $" Delete route {Destination(deleteRoute.DestinationCidrBlock, deleteRoute.DestinationIpv6CidrBlock, deleteRoute.DestinationPrefixListId)}.",
                    deleteRoute.RouteTableId?.ResourceId ?? "", null);
            if (action.EC2CopyRouteTableAction is { } copy)
                return new FmsRemediationActionStep(order, "EC2CopyRouteTableAction", Text(copy.Description), copy.RouteTableId?.ResourceId ?? "", null);
            if (action.EC2ReplaceRouteTableAssociationAction is { } replaceAssociation)
                return new FmsRemediationActionStep(order, "EC2ReplaceRouteTableAssociationAction", Text(replaceAssociation.Description),
                    replaceAssociation.AssociationId?.ResourceId ?? replaceAssociation.RouteTableId?.ResourceId ?? "", null);
            if (action.EC2AssociateRouteTableAction is { } associate)
                return new FmsRemediationActionStep(order, "EC2AssociateRouteTableAction", Text(associate.Description),
                    associate.SubnetId?.ResourceId ?? associate.GatewayId?.ResourceId ?? associate.RouteTableId?.ResourceId ?? "", null);
            if (action.EC2CreateRouteTableAction is { } createTable)
                return new FmsRemediationActionStep(order, "EC2CreateRouteTableAction", Text(createTable.Description), createTable.VpcId?.ResourceId ?? "", null);
            if (action.FMSPolicyUpdateFirewallCreationConfigAction is { } firewallConfig)
                return new FmsRemediationActionStep(order, "FMSPolicyUpdateFirewallCreationConfigAction", Text(firewallConfig.Description), "", null);
            if (action.CreateNetworkAclAction is { } createAcl)
                return new FmsRemediationActionStep(order, "CreateNetworkAclAction", Text(createAcl.Description), createAcl.Vpc?.ResourceId ?? "", createAcl.FMSCanRemediate);
            if (action.ReplaceNetworkAclAssociationAction is { } replaceAcl)
                return new FmsRemediationActionStep(order, "ReplaceNetworkAclAssociationAction", Text(replaceAcl.Description),
                    replaceAcl.AssociationId?.ResourceId ?? replaceAcl.NetworkAclId?.ResourceId ?? "", replaceAcl.FMSCanRemediate);
            if (action.CreateNetworkAclEntriesAction is { } createEntries)
                return new FmsRemediationActionStep(order, "CreateNetworkAclEntriesAction",
                    Text(createEntries.Description) + $" {createEntries.NetworkAclEntriesToBeCreated?.Count ?? 0} entries to create.",
                    createEntries.NetworkAclId?.ResourceId ?? "", createEntries.FMSCanRemediate);
            if (action.DeleteNetworkAclEntriesAction is { } deleteEntries)
                return new FmsRemediationActionStep(order, "DeleteNetworkAclEntriesAction",
                    Text(deleteEntries.Description) + $" {deleteEntries.NetworkAclEntriesToBeDeleted?.Count ?? 0} entries to delete.",
                    deleteEntries.NetworkAclId?.ResourceId ?? "", deleteEntries.FMSCanRemediate);
            return new FmsRemediationActionStep(order, "Unknown", action.Description ?? "An action this version of FmsTools does not know.", "", null);
        }

        private static string Destination(string? v4, string? v6, string? prefixList) => v4 ?? v6 ?? prefixList ?? "(no destination)";

        private static string DescribeRule(SecurityGroupRuleDescription rule)
        {
            var range = rule.IPV4Range ?? rule.IPV6Range ?? rule.PrefixListId ?? "any";
            var ports = rule.FromPort == null ? "all ports"
                : rule.FromPort == rule.ToPort ? "port " + rule.FromPort.Value.ToString(CultureInfo.InvariantCulture)
                : $"ports {rule.FromPort}-{rule.ToPort}";
            return $"{rule.Protocol ?? "any protocol"} {ports} from {range}";
        }

        private static IReadOnlyList<FmsRoute> ToRoutes(List<Route>? routes)
            => routes == null ? new FmsRoute[0] : routes.Select(r => new FmsRoute(r.Destination ?? "", r.DestinationType ?? "", r.Target ?? "", r.TargetType ?? "")).ToList();

        private static FmsExpectedRoute ToExpected(ExpectedRoute r)
            => new FmsExpectedRoute(r.IpV4Cidr ?? r.IpV6Cidr ?? r.PrefixListId ?? "", r.AllowedTargets ?? new List<string>(), r.RouteTableId ?? "", r.ContributingSubnets ?? new List<string>());

        private static IReadOnlyList<FmsExpectedRoute> ToExpected(IEnumerable<ExpectedRoute>? routes)
            => routes == null ? new FmsExpectedRoute[0] : routes.Select(ToExpected).ToList();

        private static string Routes(List<Route>? routes)
            => routes == null || routes.Count == 0 ? "none" : string.Join(", ", routes.Select(r => $"{r.Destination} -> {r.Target}"));

        /// <summary>One readable line per populated violation shape.</summary>
        public static IEnumerable<FmsViolationDetail> Describe(ResourceViolation v)
        {
            if (v.AwsVPCSecurityGroupViolation is { } sg)
            {
                var reasons = (sg.PartialMatches ?? new List<PartialMatch>())
                    .Select(m => $"{m.Reference} ({string.Join(", ", m.TargetViolationReasons ?? new List<string>())})").ToList();
                yield return new FmsViolationDetail("AwsVPCSecurityGroupViolation", sg.ViolationTarget ?? "",
                    $"Security group {sg.ViolationTarget}: {sg.ViolationTargetDescription}".TrimEnd(' ', ':')
                    + (reasons.Count > 0 ? ". Partial matches: " + string.Join("; ", reasons) + "." : "."));
            }
            if (v.AwsEc2NetworkInterfaceViolation is { } eni)
                yield return new FmsViolationDetail("AwsEc2NetworkInterfaceViolation", eni.ViolationTarget ?? "",
                    $"Network interface {eni.ViolationTarget} uses violating security groups: {string.Join(", ", eni.ViolatingSecurityGroups ?? new List<string>())}.");
            if (v.AwsEc2InstanceViolation is { } instance)
                yield return new FmsViolationDetail("AwsEc2InstanceViolation", instance.ViolationTarget ?? "",
                    $"Instance {instance.ViolationTarget} has {instance.AwsEc2NetworkInterfaceViolations?.Count ?? 0} network interfaces with violating security groups: "
                    + string.Join("; ", (instance.AwsEc2NetworkInterfaceViolations ?? new List<AwsEc2NetworkInterfaceViolation>())
                        .Select(n => $"{n.ViolationTarget} ({string.Join(", ", n.ViolatingSecurityGroups ?? new List<string>())})")) + ".");
            if (v.NetworkFirewallMissingFirewallViolation is { } missingFirewall)
                yield return new FmsViolationDetail("NetworkFirewallMissingFirewallViolation", missingFirewall.ViolationTarget ?? "",
                    $"VPC {missingFirewall.VPC} in {missingFirewall.AvailabilityZone} has no firewall: {missingFirewall.TargetViolationReason}.");
            if (v.NetworkFirewallMissingSubnetViolation is { } missingSubnet)
                yield return new FmsViolationDetail("NetworkFirewallMissingSubnetViolation", missingSubnet.ViolationTarget ?? "",
                    $"VPC {missingSubnet.VPC} lacks a firewall subnet in {missingSubnet.AvailabilityZone}: {missingSubnet.TargetViolationReason}.");
            if (v.NetworkFirewallMissingExpectedRTViolation is { } missingRt)
                yield return new FmsViolationDetail("NetworkFirewallMissingExpectedRTViolation", missingRt.ViolationTarget ?? "",
                    $"In VPC {missingRt.VPC}{(missingRt.AvailabilityZone == null ? "" : " (" + missingRt.AvailabilityZone + ")")} a subnet uses route table {missingRt.CurrentRouteTable ?? "(the main table)"}; expected the Firewall Manager route table {missingRt.ExpectedRouteTable}.")
                { VpcId = missingRt.VPC ?? "", RouteTableId = missingRt.CurrentRouteTable ?? "" };
            if (v.NetworkFirewallPolicyModifiedViolation is { } modified)
                yield return new FmsViolationDetail("NetworkFirewallPolicyModifiedViolation", modified.ViolationTarget ?? "",
                    $"Network Firewall policy {modified.ViolationTarget} differs from the policy's firewall policy.");
            if (v.NetworkFirewallInternetTrafficNotInspectedViolation is { } notInspected)
                yield return new FmsViolationDetail("NetworkFirewallInternetTrafficNotInspectedViolation", notInspected.SubnetId ?? "",
                    $"Internet traffic of subnet {notInspected.SubnetId} (route table {notInspected.RouteTableId}) is not inspected; violating routes: {Routes(notInspected.ViolatingRoutes)}"
                    + (notInspected.ExpectedFirewallEndpoint == null ? "." : $"; expected firewall endpoint {notInspected.ExpectedFirewallEndpoint}.")
                    + (notInspected.IsRouteTableUsedInDifferentAZ == true ? " The route table also serves other Availability Zones." : ""))
                {
                    VpcId = notInspected.VpcId ?? "", RouteTableId = notInspected.RouteTableId ?? "", ViolatingRoutes = ToRoutes(notInspected.ViolatingRoutes),
                    ExpectedRoutes = ToExpected((notInspected.ExpectedFirewallSubnetRoutes ?? new List<ExpectedRoute>()).Concat(notInspected.ExpectedInternetGatewayRoutes ?? new List<ExpectedRoute>())),
                };
            if (v.NetworkFirewallInvalidRouteConfigurationViolation is { } invalidRoute)
                yield return new FmsViolationDetail("NetworkFirewallInvalidRouteConfigurationViolation", invalidRoute.RouteTableId ?? "",
                    $"Route table {invalidRoute.RouteTableId} routes {(invalidRoute.ViolatingRoute == null ? "traffic" : invalidRoute.ViolatingRoute.Destination + " -> " + invalidRoute.ViolatingRoute.Target)} wrongly; expected endpoint {invalidRoute.ExpectedFirewallEndpoint}, actual {invalidRoute.ActualFirewallEndpoint}.")
                {
                    VpcId = invalidRoute.VpcId ?? "", RouteTableId = invalidRoute.RouteTableId ?? "",
                    ViolatingRoutes = ToRoutes(invalidRoute.ViolatingRoute == null ? null : new List<Route> { invalidRoute.ViolatingRoute }),
                    ExpectedRoutes = ToExpected((invalidRoute.ExpectedFirewallSubnetRoutes ?? new List<ExpectedRoute>()).Concat(invalidRoute.ExpectedInternetGatewayRoutes ?? new List<ExpectedRoute>())),
                };
            if (v.NetworkFirewallBlackHoleRouteDetectedViolation is { } blackHole)
                yield return new FmsViolationDetail("NetworkFirewallBlackHoleRouteDetectedViolation", blackHole.RouteTableId ?? blackHole.ViolationTarget ?? "",
                    $"Route table {blackHole.RouteTableId} of {blackHole.ViolationTarget} in VPC {blackHole.VpcId} has black hole routes: {Routes(blackHole.ViolatingRoutes)}.")
                { VpcId = blackHole.VpcId ?? "", RouteTableId = blackHole.RouteTableId ?? "", ViolatingRoutes = ToRoutes(blackHole.ViolatingRoutes) };
            if (v.NetworkFirewallUnexpectedFirewallRoutesViolation is { } unexpectedFirewall)
                yield return new FmsViolationDetail("NetworkFirewallUnexpectedFirewallRoutesViolation", unexpectedFirewall.RouteTableId ?? "",
                    $"Route table {unexpectedFirewall.RouteTableId} of firewall subnet {unexpectedFirewall.FirewallSubnetId} (endpoint {unexpectedFirewall.FirewallEndpoint}) has unexpected routes: {Routes(unexpectedFirewall.ViolatingRoutes)}.")
                { VpcId = unexpectedFirewall.VpcId ?? "", RouteTableId = unexpectedFirewall.RouteTableId ?? "", ViolatingRoutes = ToRoutes(unexpectedFirewall.ViolatingRoutes) };
            if (v.NetworkFirewallUnexpectedGatewayRoutesViolation is { } unexpectedGateway)
                yield return new FmsViolationDetail("NetworkFirewallUnexpectedGatewayRoutesViolation", unexpectedGateway.RouteTableId ?? "",
                    $"Route table {unexpectedGateway.RouteTableId} of gateway {unexpectedGateway.GatewayId} has routes that bypass the firewall: {Routes(unexpectedGateway.ViolatingRoutes)}.")
                { VpcId = unexpectedGateway.VpcId ?? "", RouteTableId = unexpectedGateway.RouteTableId ?? "", ViolatingRoutes = ToRoutes(unexpectedGateway.ViolatingRoutes) };
            if (v.NetworkFirewallMissingExpectedRoutesViolation is { } missingRoutes)
                yield return new FmsViolationDetail("NetworkFirewallMissingExpectedRoutesViolation", missingRoutes.ViolationTarget ?? "",
                    $"{missingRoutes.ViolationTarget} in VPC {missingRoutes.VpcId} lacks expected routes: "
                    + string.Join(", ", (missingRoutes.ExpectedRoutes ?? new List<ExpectedRoute>()).Select(r => ToExpected(r).ToString())) + ".")
                {
                    VpcId = missingRoutes.VpcId ?? "", RouteTableId = (missingRoutes.ExpectedRoutes ?? new List<ExpectedRoute>()).Select(r => r.RouteTableId).FirstOrDefault(id => id != null) ?? "",
                    ExpectedRoutes = ToExpected(missingRoutes.ExpectedRoutes),
                };
            if (v.DnsRuleGroupPriorityConflictViolation is { } priority)
                yield return new FmsViolationDetail("DnsRuleGroupPriorityConflictViolation", priority.ViolationTarget ?? "",
                    $"VPC {priority.ViolationTarget}: priority {priority.ConflictingPriority} is already used (conflicting policy {priority.ConflictingPolicyId}).");
            if (v.DnsDuplicateRuleGroupViolation is { } duplicate)
                yield return new FmsViolationDetail("DnsDuplicateRuleGroupViolation", duplicate.ViolationTarget ?? "",
                    $"VPC {duplicate.ViolationTarget}: {duplicate.ViolationTargetDescription ?? "the rule group is already associated"}.");
            if (v.DnsRuleGroupLimitExceededViolation is { } dnsLimit)
                yield return new FmsViolationDetail("DnsRuleGroupLimitExceededViolation", dnsLimit.ViolationTarget ?? "",
                    $"VPC {dnsLimit.ViolationTarget} already has {dnsLimit.NumberOfRuleGroupsAlreadyAssociated} DNS Firewall rule groups (limit reached).");
            if (v.FirewallSubnetIsOutOfScopeViolation is { } outOfScope)
                yield return new FmsViolationDetail("FirewallSubnetIsOutOfScopeViolation", outOfScope.FirewallSubnetId ?? "",
                    $"Firewall subnet {outOfScope.FirewallSubnetId} in VPC {outOfScope.VpcId} is outside the policy's scope.");
            if (v.RouteHasOutOfScopeEndpointViolation is { } outOfScopeRoute)
                yield return new FmsViolationDetail("RouteHasOutOfScopeEndpointViolation", outOfScopeRoute.RouteTableId ?? "",
                    $"Route table {outOfScopeRoute.RouteTableId} of subnet {outOfScopeRoute.SubnetId} routes to an out-of-scope endpoint: {Routes(outOfScopeRoute.ViolatingRoutes)}.")
                { VpcId = outOfScopeRoute.VpcId ?? "", RouteTableId = outOfScopeRoute.RouteTableId ?? "", ViolatingRoutes = ToRoutes(outOfScopeRoute.ViolatingRoutes) };
            if (v.ThirdPartyFirewallMissingFirewallViolation is { } tpFirewall)
                yield return new FmsViolationDetail("ThirdPartyFirewallMissingFirewallViolation", tpFirewall.ViolationTarget ?? "",
                    $"VPC {tpFirewall.VPC} in {tpFirewall.AvailabilityZone} has no third-party firewall: {tpFirewall.TargetViolationReason}.");
            if (v.ThirdPartyFirewallMissingSubnetViolation is { } tpSubnet)
                yield return new FmsViolationDetail("ThirdPartyFirewallMissingSubnetViolation", tpSubnet.ViolationTarget ?? "",
                    $"VPC {tpSubnet.VPC} lacks a third-party firewall subnet in {tpSubnet.AvailabilityZone}: {tpSubnet.TargetViolationReason}.");
            if (v.ThirdPartyFirewallMissingExpectedRouteTableViolation is { } tpRt)
                yield return new FmsViolationDetail("ThirdPartyFirewallMissingExpectedRouteTableViolation", tpRt.ViolationTarget ?? "",
                    $"Subnet {tpRt.ViolationTarget} uses route table {tpRt.CurrentRouteTable}; expected {tpRt.ExpectedRouteTable}.");
            if (v.FirewallSubnetMissingVPCEndpointViolation is { } vpce)
                yield return new FmsViolationDetail("FirewallSubnetMissingVPCEndpointViolation", vpce.FirewallSubnetId ?? "",
                    $"Firewall subnet {vpce.FirewallSubnetId} in VPC {vpce.VpcId} has no VPC endpoint.");
            if (v.InvalidNetworkAclEntriesViolation is { } nacl)
                yield return new FmsViolationDetail("InvalidNetworkAclEntriesViolation", nacl.CurrentAssociatedNetworkAcl ?? nacl.Subnet ?? "",
                    $"Network ACL {nacl.CurrentAssociatedNetworkAcl} of subnet {nacl.Subnet} has {nacl.EntryViolations?.Count ?? 0} entry violations: "
                    + string.Join("; ", (nacl.EntryViolations ?? new List<EntryViolation>()).Select(e => string.Join(", ", e.EntryViolationReasons ?? new List<string>()))) + ".");
            if (v.WebACLHasIncompatibleConfigurationViolation is { } incompatible)
                yield return new FmsViolationDetail("WebACLHasIncompatibleConfigurationViolation", incompatible.WebACLArn ?? "",
                    $"Web ACL {incompatible.WebACLArn} has an incompatible configuration: {incompatible.Description}.");
            if (v.WebACLHasOutOfScopeResourcesViolation is { } outOfScopeResources)
                yield return new FmsViolationDetail("WebACLHasOutOfScopeResourcesViolation", outOfScopeResources.WebACLArn ?? "",
                    $"Web ACL {outOfScopeResources.WebACLArn} is used by out-of-scope resources: {string.Join(", ", outOfScopeResources.OutOfScopeResourceList ?? new List<string>())}.");
        }

        private static IReadOnlyDictionary<string, string> Copy(Dictionary<string, string>? map)
            => map == null || map.Count == 0 ? new Dictionary<string, string>(0) : new Dictionary<string, string>(map, StringComparer.Ordinal);
    }
}
