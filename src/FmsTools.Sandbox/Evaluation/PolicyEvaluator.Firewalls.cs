using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;
using NetworkFirewallPolicy = FmsTools.Sandbox.World.NetworkFirewallPolicy;

namespace FmsTools.Sandbox.Evaluation
{
    public sealed partial class PolicyEvaluator
    {
        // ------------------------------------------------------------------ Network Firewall

        internal sealed class NetworkFirewallSettings
        {
            public List<NetworkFirewallRuleGroupReference> Stateless = new List<NetworkFirewallRuleGroupReference>();
            public List<NetworkFirewallRuleGroupReference> Stateful = new List<NetworkFirewallRuleGroupReference>();
            public List<string> StatelessDefaultActions = new List<string>();
            public List<string> StatelessFragmentDefaultActions = new List<string>();
            public List<string>? RequiredZones;
            public bool SingleEndpoint;
            public bool Centralized;
            public HashSet<string> InspectionVpcIds = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>routeManagementAction MONITOR: FMS checks the VPCs' routes (distributed deployments only; it never changes them).</summary>
            public bool MonitorRoutes;

            /// <summary>routeManagementConfig.allowCrossAZTrafficIfNoEndpoint: a subnet in a zone without an endpoint may use another zone's.</summary>
            public bool AllowCrossAzIfNoEndpoint;

            /// <summary>The policy's firewallCreationConfig as JSON (FMSPolicyUpdateFirewallCreationConfigAction proposes a new one).</summary>
            public string? FirewallCreationConfig;

            public NetworkFirewallSettings(Policy policy, ManagedServiceData data)
            {
                var config = data.NetworkFirewallConfig();
                Stateless = ManagedServiceData.RuleGroupReferences(config, "networkFirewallStatelessRuleGroupReferences");
                Stateful = ManagedServiceData.RuleGroupReferences(config, "networkFirewallStatefulRuleGroupReferences");
                StatelessDefaultActions = ManagedServiceData.Strings(config, "networkFirewallStatelessDefaultActions");
                StatelessFragmentDefaultActions = ManagedServiceData.Strings(config, "networkFirewallStatelessFragmentDefaultActions");
                Centralized = string.Equals(policy.SecurityServicePolicyData?.PolicyOption?.NetworkFirewallPolicy?.FirewallDeploymentModel, FirewallDeploymentModelValues.Centralized, StringComparison.Ordinal);
                JsonElement? orchestration = data.Get("networkFirewallOrchestrationConfig");
                if (Centralized && data.Get("firewallDeploymentModel") is { } model
                    && ManagedServiceData.Get(model, "centralizedFirewallDeploymentModel") is { } centralized
                    && ManagedServiceData.Get(centralized, "centralizedFirewallOrchestrationConfig") is { } centralConfig)
                {
                    orchestration = centralConfig;
                    foreach (var vpc in ManagedServiceData.Array(centralConfig, "inspectionVpcIds"))
                        if (ManagedServiceData.String(vpc, "resourceId") is string id) InspectionVpcIds.Add(id);
                }
                if (orchestration is { } o)
                {
                    SingleEndpoint = ManagedServiceData.Bool(o, "singleFirewallEndpointPerVPC", false);
                    MonitorRoutes = !Centralized && string.Equals(ManagedServiceData.String(o, "routeManagementAction"), "MONITOR", StringComparison.Ordinal);
                    if (ManagedServiceData.Get(o, "routeManagementConfig") is { } routeConfig)
                        AllowCrossAzIfNoEndpoint = ManagedServiceData.Bool(routeConfig, "allowCrossAZTrafficIfNoEndpoint", false);
                    if (ManagedServiceData.Get(o, "firewallCreationConfig") is { } creationConfig) FirewallCreationConfig = creationConfig.GetRawText();
                    if (ManagedServiceData.Get(o, "firewallCreationConfig") is { } creation && ManagedServiceData.Get(creation, "endpointLocation") is { } location)
                    {
                        var zones = ManagedServiceData.Array(location, "availabilityZoneConfigList").Select(z => ManagedServiceData.String(z, "availabilityZoneName")).Where(z => z != null).Select(z => z!).ToList();
                        if (zones.Count > 0) RequiredZones = zones;
                    }
                }
            }

            public bool PolicyMatches(NetworkFirewallPolicy firewallPolicy) =>
                SameArns(firewallPolicy.StatelessRuleGroups, Stateless) && SameArns(firewallPolicy.StatefulRuleGroups, Stateful);

            private static bool SameArns(NetworkFirewallRuleGroupReference[] actual, List<NetworkFirewallRuleGroupReference> expected) =>
                new HashSet<string>(actual.Select(a => a.ResourceArn), StringComparer.Ordinal).SetEquals(expected.Select(e => e.ResourceArn));

            public NetworkFirewallPolicyDescription Describe() => Describe(Stateless, Stateful, StatelessDefaultActions, StatelessFragmentDefaultActions);

            public static NetworkFirewallPolicyDescription Describe(IEnumerable<NetworkFirewallRuleGroupReference> stateless, IEnumerable<NetworkFirewallRuleGroupReference> stateful,
                IEnumerable<string> defaultActions, IEnumerable<string> fragmentActions) => new NetworkFirewallPolicyDescription
                {
                    StatelessRuleGroups = stateless.Select(s => new StatelessRuleGroup { RuleGroupName = ManagedServiceData.RuleGroupNameFromArn(s.ResourceArn + "/x"), ResourceId = s.ResourceArn, Priority = s.Priority }).ToList(),
                    StatefulRuleGroups = stateful.Select(s => new StatefulRuleGroup { RuleGroupName = ManagedServiceData.RuleGroupNameFromArn(s.ResourceArn + "/x"), ResourceId = s.ResourceArn, Priority = s.Priority }).ToList(),
                    StatelessDefaultActions = defaultActions.ToList(),
                    StatelessFragmentDefaultActions = fragmentActions.ToList(),
                    StatelessCustomActions = new List<string>(),
                    StatefulDefaultActions = new List<string>(),
                };
        }

        /// <summary>Zones that need an endpoint: the policy's zone list, else every zone with a workload subnet (firewall subnets excluded).</summary>
        internal static List<string> RequiredZones(Sandbox.World.World world, Vpc vpc, NetworkFirewallSettings settings, string region)
        {
            if (settings.RequiredZones != null) return settings.RequiredZones;
            var firewallSubnets = new HashSet<string>(world.GetResources<NetworkFirewall>(vpc.AccountId, region).SelectMany(f => f.SubnetMappings).Select(m => m.SubnetId), StringComparer.Ordinal);
            var zones = world.GetResources<Subnet>(vpc.AccountId, region).Where(s => s.VpcId == vpc.Id && !firewallSubnets.Contains(s.Id)
                && !(s.Name ?? "").StartsWith("FMSManagedFirewallSubnet", StringComparison.Ordinal))
                .Select(s => s.AvailabilityZone).Distinct().OrderBy(z => z, StringComparer.Ordinal).ToList();
            return settings.SingleEndpoint ? zones.Take(1).ToList() : zones;
        }

        internal static NetworkFirewall? FindPolicyFirewall(Sandbox.World.World world, string policyId, Vpc vpc, string region) =>
            world.GetResources<NetworkFirewall>(vpc.AccountId, region).FirstOrDefault(f => f.VpcId == vpc.Id && f.FmsPolicyId == policyId);

        private static void EvaluateNetworkFirewall(Run run, string accountId)
        {
            var settings = new NetworkFirewallSettings(run.Policy, run.Data);
            var flaggedPolicies = new HashSet<string>(StringComparer.Ordinal);
            foreach (var vpc in run.InScopeResources(accountId).OfType<Vpc>())
            {
                if (settings.Centralized && !settings.InspectionVpcIds.Contains(vpc.Id)) continue;
                var firewall = FindPolicyFirewall(run.World, run.PolicyId, vpc, run.Region);
                if (firewall == null)
                {
                    var zone = RequiredZones(run.World, vpc, settings, run.Region).FirstOrDefault();
                    run.Add(vpc, ViolationReasonValues.MissingFirewall).Details.Add(new ResourceViolation
                    {
                        NetworkFirewallMissingFirewallViolation = new NetworkFirewallMissingFirewallViolation { ViolationTarget = vpc.Id, VPC = vpc.Id, AvailabilityZone = zone, TargetViolationReason = ViolationReasonValues.MissingFirewall },
                    });
                    continue;
                }
                var missingZones = RequiredZones(run.World, vpc, settings, run.Region).Where(z => !firewall.SubnetMappings.Any(m => m.AvailabilityZone == z)).ToList();
                if (missingZones.Count > 0)
                {
                    var violation = run.Add(vpc, ViolationReasonValues.MissingFirewallSubnetInAz);
                    foreach (var zone in missingZones)
                        violation.Details.Add(new ResourceViolation
                        {
                            NetworkFirewallMissingSubnetViolation = new NetworkFirewallMissingSubnetViolation { ViolationTarget = vpc.Id, VPC = vpc.Id, AvailabilityZone = zone, TargetViolationReason = ViolationReasonValues.MissingFirewallSubnetInAz },
                        });
                }
                if (run.World.FindByArn(firewall.FirewallPolicyArn) is NetworkFirewallPolicy firewallPolicy && !settings.PolicyMatches(firewallPolicy) && flaggedPolicies.Add(firewallPolicy.Arn))
                    AddPolicyModified(run, firewallPolicy, settings);
                if (settings.MonitorRoutes) EvaluateRoutes(run, vpc, firewall, settings);
            }
        }

        private static void AddPolicyModified(Run run, NetworkFirewallPolicy firewallPolicy, NetworkFirewallSettings settings)
        {
            run.Add(firewallPolicy, ViolationReasonValues.NetworkFirewallPolicyModified).Details.Add(new ResourceViolation
            {
                NetworkFirewallPolicyModifiedViolation = new NetworkFirewallPolicyModifiedViolation
                {
                    ViolationTarget = firewallPolicy.Arn,
                    CurrentPolicyDescription = NetworkFirewallSettings.Describe(firewallPolicy.StatelessRuleGroups, firewallPolicy.StatefulRuleGroups, firewallPolicy.StatelessDefaultActions, firewallPolicy.StatelessFragmentDefaultActions),
                    ExpectedPolicyDescription = settings.Describe(),
                },
            });
        }

        /// <summary>IMPORT_NETWORK_FIREWALL: the firewalls in the policy's resource sets must run the policy's rule groups.</summary>
        private static void EvaluateImportNetworkFirewall(Run run, string accountId)
        {
            var settings = new NetworkFirewallSettings(run.Policy, run.Data);
            var arns = run.Scope.ResourceSetArns ?? (IReadOnlyCollection<string>)new string[0];
            var flagged = new HashSet<string>(StringComparer.Ordinal);
            foreach (var firewall in run.Resources(accountId).OfType<NetworkFirewall>().Where(f => arns.Contains(f.Arn)).ToList())
            {
                run.Current.ResourcesEvaluated++;
                run.AddInScope(firewall);
                if (run.World.FindByArn(firewall.FirewallPolicyArn) is NetworkFirewallPolicy firewallPolicy && !settings.PolicyMatches(firewallPolicy) && flagged.Add(firewallPolicy.Arn))
                    AddPolicyModified(run, firewallPolicy, settings);
            }
        }

        // ------------------------------------------------------------------ Third-party firewall

        private static void EvaluateThirdPartyFirewall(Run run, string accountId)
        {
            var vendor = run.Data.String("thirdPartyFirewall") ?? "";
            var firewalls = run.Resources(accountId).OfType<ThirdPartyFirewall>().ToList();
            var association = run.World.ThirdPartyFirewallAssociations.FirstOrDefault(a => a.ThirdPartyFirewall == vendor);
            var onboarded = association != null && association.Status == ThirdPartyFirewallAssociationStatusValues.OnboardComplete;
            foreach (var vpc in run.InScopeResources(accountId).OfType<Vpc>())
            {
                if (firewalls.Any(f => f.VpcId == vpc.Id && f.Vendor == vendor)) continue;
                if (!onboarded) run.Current.SetIssue(DependentServiceNameValues.Awsvpc, "The Firewall Manager administrator is not onboarded with " + vendor + ".");
                run.Add(vpc, ViolationReasonValues.MissingFirewall).Details.Add(new ResourceViolation
                {
                    ThirdPartyFirewallMissingFirewallViolation = new ThirdPartyFirewallMissingFirewallViolation { ViolationTarget = vpc.Id, VPC = vpc.Id, TargetViolationReason = ViolationReasonValues.MissingFirewall },
                });
            }
        }

        // ------------------------------------------------------------------ Network ACLs

        /// <summary>Assesses one subnet's NACL against a NETWORK_ACL_COMMON policy.</summary>
        internal static NaclAssessment AssessSubnet(Sandbox.World.World world, Policy policy, Subnet subnet, Func<Subnet, bool> inScope)
        {
            var acl = world.FindById(subnet.NetworkAclId) as NetworkAcl;
            var servesOthers = acl != null && world.GetResources<Subnet>(subnet.AccountId, subnet.Region)
                .Any(s => s != subnet && s.NetworkAclId == acl.Id && !inScope(s));
            return NaclExpectations.Assess(acl, policy.SecurityServicePolicyData?.PolicyOption?.NetworkAclCommonPolicy?.NetworkAclEntrySet, servesOthers);
        }

        private static void EvaluateNetworkAcl(Run run, string accountId)
        {
            var inScope = run.InScopeResources(accountId).OfType<Subnet>().ToList();
            var inScopeSet = new HashSet<Subnet>(inScope);
            foreach (var subnet in inScope)
            {
                var assessment = AssessSubnet(run.World, run.Policy, subnet, inScopeSet.Contains);
                if (assessment.IsCompliant) continue;
                var violation = run.Add(subnet, ViolationReasonValues.InvalidNetworkAclEntry);
                violation.Details.Add(new ResourceViolation
                {
                    InvalidNetworkAclEntriesViolation = new InvalidNetworkAclEntriesViolation
                    {
                        Vpc = subnet.VpcId, Subnet = subnet.Id, SubnetAvailabilityZone = subnet.AvailabilityZone,
                        CurrentAssociatedNetworkAcl = subnet.NetworkAclId, EntryViolations = assessment.EntryViolations,
                    },
                    PossibleRemediationActions = NaclRemediationActions(subnet, assessment, run.Policy.RemediationEnabled == true),
                });
            }
        }

        /// <summary>
        /// The remediation options FMS offers for a NACL violation. FMSCanRemediate is false while the policy's automatic
        /// remediation is off, and when a conflict keeps FMS from acting (AWS: "A false value indicates that auto remediation
        /// is disabled or Firewall Manager is unable to perform the action due to a conflict of some kind").
        /// </summary>
        internal static PossibleRemediationActions NaclRemediationActions(Subnet subnet, NaclAssessment assessment, bool remediationEnabled = true)
        {
            var ordered = new List<RemediationActionWithOrder>();
            var order = 1;
            var aclTarget = new ActionTarget { ResourceId = subnet.NetworkAclId, Description = "Network ACL " + subnet.NetworkAclId };
            if (assessment.NeedsNewAcl)
            {
                ordered.Add(new RemediationActionWithOrder { Order = order++, RemediationAction = new RemediationAction { Description = "Create a network ACL in " + subnet.VpcId, CreateNetworkAclAction = new CreateNetworkAclAction { Description = "Create a Firewall Manager network ACL", Vpc = new ActionTarget { ResourceId = subnet.VpcId }, FMSCanRemediate = remediationEnabled } } });
                ordered.Add(new RemediationActionWithOrder { Order = order++, RemediationAction = new RemediationAction { Description = "Create the policy's entries in the new network ACL", CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction { Description = "Create entries", NetworkAclEntriesToBeCreated = assessment.ToCreate.Select(r => NaclExpectations.Describe(r, r.RuleNumber < 100 ? EntryTypeValues.FmsManagedFirstEntry : EntryTypeValues.FmsManagedLastEntry)).ToList(), FMSCanRemediate = remediationEnabled } } });
                ordered.Add(new RemediationActionWithOrder { Order = order, RemediationAction = new RemediationAction { Description = "Associate the subnet with the new network ACL", ReplaceNetworkAclAssociationAction = new ReplaceNetworkAclAssociationAction { Description = "Replace the subnet's network ACL association", AssociationId = new ActionTarget { ResourceId = subnet.NetworkAclAssociationId }, NetworkAclId = new ActionTarget { Description = "The network ACL created in step 1" }, FMSCanRemediate = remediationEnabled } } });
            }
            else
            {
                if (assessment.ToDelete.Count > 0)
                    ordered.Add(new RemediationActionWithOrder { Order = order++, RemediationAction = new RemediationAction { Description = "Delete misplaced or conflicting entries", DeleteNetworkAclEntriesAction = new DeleteNetworkAclEntriesAction { Description = "Delete entries", NetworkAclId = aclTarget, NetworkAclEntriesToBeDeleted = assessment.ToDelete.Select(r => NaclExpectations.Describe(r, EntryTypeValues.CustomEntry)).ToList(), FMSCanRemediate = remediationEnabled && assessment.CanRemediate } } });
                ordered.Add(new RemediationActionWithOrder { Order = order, RemediationAction = new RemediationAction { Description = "Create the policy's missing entries", CreateNetworkAclEntriesAction = new CreateNetworkAclEntriesAction { Description = "Create entries", NetworkAclId = aclTarget, NetworkAclEntriesToBeCreated = assessment.ToCreate.Select(r => NaclExpectations.Describe(r, r.RuleNumber < 100 ? EntryTypeValues.FmsManagedFirstEntry : EntryTypeValues.FmsManagedLastEntry)).ToList(), FMSCanRemediate = remediationEnabled && assessment.CanRemediate } } });
            }
            return new PossibleRemediationActions
            {
                Description = "Bring the subnet's network ACL in line with the policy's first and last entries.",
                Actions = new List<PossibleRemediationAction> { new PossibleRemediationAction { Description = assessment.NeedsNewAcl ? "Move the subnet to a Firewall Manager network ACL" : "Edit the associated network ACL", OrderedRemediationActions = ordered, IsDefaultAction = true } },
            };
        }
    }
}
