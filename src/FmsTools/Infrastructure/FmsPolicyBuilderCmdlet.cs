using FmsTools.Engine.PolicyOperations;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of the New-Fms*Policy builders: the name, scope, remediation, description and tag parameters every
    /// policy type shares, and the build → validate → ShouldProcess → create flow. Subclasses only make the settings.
    /// -Region (inherited) is the region the policy is created in; with -Offline it is stamped on the object.
    /// Like every New-* command, a builder writes what it made: the created policy as FMS stored it (id, ARN, update
    /// token), or with -Offline the built policy; nothing when -WhatIf or a finding stopped it.
    /// </summary>
    public abstract class FmsPolicyBuilderCmdlet : FmsPolicyScopeCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        [Parameter]
        public ResourceTagLogicalOperator ResourceTagOperator { get; set; } = ResourceTagLogicalOperator.And;

        /// <summary>Builds and validates the policy without calling AWS and writes it (for Set-FmsPolicy or Export-FmsPolicy later).</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        /// <summary>
        /// Obsolete and ignored, kept so scripts written for earlier versions still bind: the created policy is always written.
        /// PowerShell warns when it is used.
        /// </summary>
        [Parameter]
        [Obsolete("New-Fms*Policy always writes the policy it creates; -PassThru is ignored and will be removed.")]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The type-specific settings from this cmdlet's own parameters.</summary>
        protected abstract PolicySettings CreateSettings();

        /// <summary>Resource types used when -ResourceType is not given and the type has no single obvious one.</summary>
        protected virtual string[] DefaultResourceTypes(PolicySettings settings) => new string[0];

        protected override void ProcessCore()
        {
            TryItem(Name, () =>
            {
                var policy = BuildPolicy();
                var region = Offline.IsPresent ? Region : Session.Region;
                policy.Region = region;

                // Checks that need no call come first: a policy that is wrong on its face costs no request.
                var offline = PolicyService.ValidateOffline(policy, region);
                if (Offline.IsPresent)
                {
                    if (PolicyFindingWriter.Write(this, offline, policy)) return;
                    WriteObject(policy);
                    return;
                }
                if (PolicyFindingWriter.Write(this, offline.Where(f => f.SeverityValue == PolicyFindingSeverity.Error), policy)) return;

                var service = NewPolicyService();
                var online = Await((r, ct) => service.ValidateOnlineAsync(policy, r, ct));
                if (PolicyFindingWriter.Write(this, online, policy)) return;
                if (!ShouldProcess(PolicyService.Target(policy), PolicyService.DescribeCreate(policy))) return;
                var stored = Await((r, ct) => service.CreateAsync(policy, ct));
                WriteVerbose($"Created {stored.TypeName} policy '{stored.Name}' with id {stored.PolicyId}.");
                WriteObject(stored);
            });
        }

        /// <summary>The policy these parameters describe (not yet validated).</summary>
        internal FmsPolicy BuildPolicy()
        {
            var policy = FmsPolicy.Create(Name!, CreateSettings());
            if (ResourceType != null && ResourceType.Length > 0) policy.ResourceTypes = ResourceType.ToList();
            else if (policy.ResourceTypes == null || policy.ResourceTypes.Count == 0) policy.ResourceTypes = DefaultResourceTypes(policy.Settings!).ToList();
            ApplyScopeParameters(policy);
            policy.Scope!.ResourceTagLogicalOperatorValue = ResourceTagOperator;
            return policy;
        }
    }

    /// <summary>Writes validation findings: errors as error records (ErrorId = rule id, message naming field and rule), warnings as warnings.</summary>
    internal static class PolicyFindingWriter
    {
        /// <returns>True when any finding is an error (the caller must not deploy).</returns>
        public static bool Write(FmsCmdlet host, IEnumerable<PolicyFinding> findings, FmsPolicy policy)
        {
            var anyError = false;
            foreach (var finding in findings)
            {
                if (finding.SeverityValue == PolicyFindingSeverity.Error)
                {
                    anyError = true;
                    host.WriteFmsError(new Engine.Diagnostics.FmsError(finding.Rule, Engine.Diagnostics.FmsErrorCategory.InvalidArgument,
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
