using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FmsTools.Engine.Policies;
using FmsTools.Engine.PolicyOperations;
using FmsTools.Completers;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of the New-Fms*Policy builders: the name, scope, remediation, description and tag parameters every
    /// policy type shares, and the build → validate → ShouldProcess → create flow. Subclasses only make the settings.
    /// -Region (inherited) is the region the policy is created in; with -Offline it is stamped on the object.
    /// </summary>
    public abstract class FmsPolicyBuilderCmdlet : FmsConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Accounts in scope (IncludeMap ACCOUNT). With any include list FMS ignores the exclude lists.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsAccountIdCompleter))]
        public string[]? IncludeAccount { get; set; }

        /// <summary>OUs (or the root) in scope, with their child OUs and accounts added later.</summary>
        [Parameter]
        [Alias("IncludeOU")]
        [ArgumentCompleter(typeof(FmsOrganizationalUnitCompleter))]
        public string[]? IncludeOrganizationalUnit { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(FmsAccountIdCompleter))]
        public string[]? ExcludeAccount { get; set; }

        [Parameter]
        [Alias("ExcludeOU")]
        [ArgumentCompleter(typeof(FmsOrganizationalUnitCompleter))]
        public string[]? ExcludeOrganizationalUnit { get; set; }

        /// <summary>Resource tags that scope the policy: @{ env = 'prod' }. A $null value matches only an empty value.</summary>
        [Parameter]
        public Hashtable? ResourceTag { get; set; }

        /// <summary>Resources with the -ResourceTag tags are excluded instead of included.</summary>
        [Parameter]
        public SwitchParameter ExcludeResourceTag { get => new SwitchParameter(ExcludeResourceTagFlag); set => ExcludeResourceTagFlag = value.IsPresent; }

        /// <summary>-ExcludeResourceTag as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool ExcludeResourceTagFlag { get; set; }

        [Parameter]
        public ResourceTagLogicalOperator ResourceTagOperator { get; set; } = ResourceTagLogicalOperator.And;

        /// <summary>Resource types in scope, e.g. AWS::ElasticLoadBalancingV2::LoadBalancer; defaults per type where one is obvious.</summary>
        [Parameter]
        public string[]? ResourceType { get; set; }

        [Parameter]
        public string[]? ResourceSetId { get; set; }

        /// <summary>Automatic remediation: FMS fixes non-compliant resources instead of only reporting them.</summary>
        [Parameter]
        public SwitchParameter RemediationEnabled { get => new SwitchParameter(RemediationEnabledFlag); set => RemediationEnabledFlag = value.IsPresent; }

        /// <summary>-RemediationEnabled as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool RemediationEnabledFlag { get; set; }

        [Parameter]
        public SwitchParameter DeleteUnusedFMManagedResources { get => new SwitchParameter(DeleteUnusedFMManagedResourcesFlag); set => DeleteUnusedFMManagedResourcesFlag = value.IsPresent; }

        /// <summary>-DeleteUnusedFMManagedResources as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool DeleteUnusedFMManagedResourcesFlag { get; set; }

        [Parameter]
        public string? Description { get; set; }

        /// <summary>Tags on the policy itself.</summary>
        [Parameter]
        public Hashtable? Tag { get; set; }

        /// <summary>Writes the created policy to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get => new SwitchParameter(PassThruFlag); set => PassThruFlag = value.IsPresent; }

        /// <summary>-PassThru as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool PassThruFlag { get; set; }

        /// <summary>Builds and validates the policy without calling AWS and writes it (for Set-FmsPolicy or Export-FmsPolicy later).</summary>
        [Parameter]
        public SwitchParameter Offline { get => new SwitchParameter(OfflineFlag); set => OfflineFlag = value.IsPresent; }

        /// <summary>-Offline as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool OfflineFlag { get; set; }

        /// <summary>The type-specific settings from this cmdlet's own parameters.</summary>
        protected abstract PolicySettings CreateSettings();

        /// <summary>Resource types used when -ResourceType is not given and the type has no single obvious one.</summary>
        protected virtual string[] DefaultResourceTypes(PolicySettings settings) => new string[0];

        protected override void ProcessCore()
        {
            TryItem(Name, () =>
            {
                var policy = BuildPolicy();
                var region = OfflineFlag ? Region : Session.Region;
                policy.Region = region;

                // Checks that need no call come first: a policy that is wrong on its face costs no request.
                var offline = PolicyService.ValidateOffline(policy, region);
                if (OfflineFlag)
                {
                    if (PolicyFindingWriter.Write(CommandHost, offline, policy)) return;
                    CommandHost.WriteObject(policy);
                    return;
                }
                if (PolicyFindingWriter.Write(CommandHost, offline.Where(f => f.Severity == PolicyFindingSeverity.Error), policy)) return;

                var service = NewPolicyService();
                var online = Await((r, ct) => service.ValidateOnlineAsync(policy, r, ct));
                if (PolicyFindingWriter.Write(CommandHost, online, policy)) return;
                if (!CommandHost.ShouldProcess(PolicyService.Target(policy), PolicyService.DescribeCreate(policy))) return;
                var stored = Await((r, ct) => service.CreateAsync(policy, ct));
                CommandHost.WriteVerbose($"Created {stored.TypeName} policy '{stored.Name}' with id {stored.PolicyId}.");
                if (PassThruFlag) CommandHost.WriteObject(stored);
            });
        }

        /// <summary>The policy these parameters describe (not yet validated).</summary>
        internal FmsPolicy BuildPolicy()
        {
            var policy = FmsPolicy.Create(Name!, CreateSettings());
            if (ResourceType != null && ResourceType.Length > 0) policy.ResourceTypes = ResourceType.ToList();
            else if (policy.ResourceTypes.Count == 0) policy.ResourceTypes = DefaultResourceTypes(policy.Settings!).ToList();
            policy.Description = Description;
            policy.RemediationEnabled = RemediationEnabledFlag;
            policy.DeleteUnusedFMManagedResources = DeleteUnusedFMManagedResourcesFlag;
            policy.Scope = new PolicyScope
            {
                IncludeAccounts = List(IncludeAccount),
                IncludeOrganizationalUnits = List(IncludeOrganizationalUnit),
                ExcludeAccounts = List(ExcludeAccount),
                ExcludeOrganizationalUnits = List(ExcludeOrganizationalUnit),
                ResourceTags = PolicyParameterConverter.ResourceTags(ResourceTag),
                ExcludeResourceTags = ExcludeResourceTagFlag,
                ResourceTagLogicalOperator = ResourceTagOperator,
                ResourceSetIds = List(ResourceSetId),
            };
            policy.Tags = PolicyParameterConverter.PolicyTags(Tag);
            return policy;
        }

        private static List<string> List(string[]? values) => values == null ? new List<string>() : values.Where(v => v != null).ToList();
    }

    /// <summary>Writes validation findings: errors as error records (ErrorId = rule id, message naming field and rule), warnings as warnings.</summary>
    internal static class PolicyFindingWriter
    {
        /// <returns>True when any finding is an error (the caller must not deploy).</returns>
        public static bool Write(ICommandHost host, IEnumerable<PolicyFinding> findings, FmsPolicy policy)
        {
            var anyError = false;
            foreach (var finding in findings)
            {
                if (finding.Severity == PolicyFindingSeverity.Error)
                {
                    anyError = true;
                    host.WriteError(new Engine.Diagnostics.FmsError(finding.Rule, Engine.Diagnostics.FmsErrorCategory.InvalidArgument,
                        $"Policy '{policy.Name}': {finding.Message}", finding.Field,
                        recommendedAction: "Correct the field named in the message; Test-FmsPolicy lists every finding."));
                }
                else
                {
                    host.WriteWarning($"Policy '{policy.Name}': {finding.Message}");
                }
            }
            return anyError;
        }
    }
}
