using System.Collections;
using System.Management.Automation.Language;

namespace FmsTools.Completers
{
    /// <summary>
    /// The PowerShell side of completion, deliberately thin: it reads session variables and resolves paths through
    /// the current runspace, names the command being completed, and turns <see cref="CompletionEngine"/> candidates
    /// into CompletionResults. Uses only APIs that Windows PowerShell 5.1 has too. A completer that finds nothing
    /// returns an empty list, so PowerShell does not fall back to file names for a value that is not a path.
    /// </summary>
    public abstract class FmsArgumentCompleter : IArgumentCompleter
    {
        private readonly FmsCompletionKind _kind;

        protected FmsArgumentCompleter(FmsCompletionKind kind) { _kind = kind; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var cmdletName = CmdletName(commandName);
            var request = new CompletionRequest { CommandName = cmdletName, ResolvePath = ResolvePath };
            return CompletionEngine.Shared.Complete(KindFor(cmdletName), wordToComplete, fakeBoundParameters, ReadVariable, request)
                .Select(c => new CompletionResult(c.CompletionText, c.ListItemText, CompletionResultType.ParameterValue, c.ToolTip))
                .ToList();
        }

        /// <summary>What to complete for this command (one kind unless a completer serves several commands).</summary>
        protected virtual FmsCompletionKind KindFor(string? cmdletName) => _kind;

        /// <summary>Whether the command is one of the protocols list cmdlets (else an apps list cmdlet).</summary>
        protected static bool IsProtocolsList(string? cmdletName)
            => cmdletName != null && cmdletName.EndsWith("-FmsProtocolsList", StringComparison.OrdinalIgnoreCase);

        // Completers run on the pipeline thread of the runspace that asked (TabExpansion2), so a script block
        // reads that runspace's variables (Connect-Fms's session defaults, AWS.Tools' stored settings).
        private static object? ReadVariable(string name)
        {
            try
            {
                return CompletionEngine.BaseObject(ScriptBlock.Create("$" + name).InvokeReturnAsIs());
            }
            catch (RuntimeException)
            {
                return null;
            }
        }

        /// <summary>A path typed on the command line (-JournalPath, -ProfileLocation) as the cmdlet would resolve it.</summary>
        private static string? ResolvePath(string path)
        {
            try
            {
                return CompletionEngine.BaseObject(ScriptBlock.Create("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])")
                    .InvokeReturnAsIs(path)) as string;
            }
            catch (RuntimeException)
            {
                return null;
            }
        }

        /// <summary>The cmdlet's own name for a module-qualified name or an alias.</summary>
        private static string? CmdletName(string? commandName)
        {
            if (string.IsNullOrEmpty(commandName)) return commandName;
            var name = commandName!.Substring(commandName.LastIndexOf('\\') + 1);
            if (name.IndexOf("-Fms", StringComparison.OrdinalIgnoreCase) > 0) return name;
            try
            {
                var resolved = CompletionEngine.BaseObject(ScriptBlock.Create("(Get-Command -Name $args[0] -CommandType Alias -ErrorAction Ignore | Select-Object -First 1).ResolvedCommandName")
                    .InvokeReturnAsIs(name)) as string;
                return string.IsNullOrEmpty(resolved) ? name : resolved;
            }
            catch (RuntimeException)
            {
                return name;
            }
        }
    }

    /// <summary>Policy names (Get-FmsPolicy -Name, the compliance commands' -PolicyName), with type and id in the tooltip.</summary>
    public sealed class FmsPolicyNameCompleter : FmsArgumentCompleter
    {
        public FmsPolicyNameCompleter() : base(FmsCompletionKind.PolicyName) { }
    }

    /// <summary>Policy ids, listed with their names; typing part of a name finds the id.</summary>
    public sealed class FmsPolicyIdCompleter : FmsArgumentCompleter
    {
        public FmsPolicyIdCompleter() : base(FmsCompletionKind.PolicyId) { }
    }

    /// <summary>Account ids of the organization, listed with their names.</summary>
    public sealed class FmsAccountIdCompleter : FmsArgumentCompleter
    {
        public FmsAccountIdCompleter() : base(FmsCompletionKind.AccountId) { }
    }

    /// <summary>Account ids, narrowed to the accounts in scope of the -PolicyId/-PolicyName already typed.</summary>
    public sealed class FmsPolicyAccountIdCompleter : FmsArgumentCompleter
    {
        public FmsPolicyAccountIdCompleter() : base(FmsCompletionKind.PolicyAccountId) { }
    }

    /// <summary>Firewall Manager administrator accounts.</summary>
    public sealed class FmsAdminAccountCompleter : FmsArgumentCompleter
    {
        public FmsAdminAccountCompleter() : base(FmsCompletionKind.AdminAccountId) { }
    }

    /// <summary>Organizational unit ids, with their path in the tooltip.</summary>
    public sealed class FmsOrganizationalUnitCompleter : FmsArgumentCompleter
    {
        public FmsOrganizationalUnitCompleter() : base(FmsCompletionKind.OrganizationalUnitId) { }
    }

    /// <summary>AWS regions, from a static list.</summary>
    public sealed class FmsRegionCompleter : FmsArgumentCompleter
    {
        public FmsRegionCompleter() : base(FmsCompletionKind.Region) { }
    }

    /// <summary>AWS WAF managed rule groups as 'Vendor/Name' (WAFv2 ListAvailableManagedRuleGroups).</summary>
    public sealed class FmsManagedRuleGroupCompleter : FmsArgumentCompleter
    {
        public FmsManagedRuleGroupCompleter() : base(FmsCompletionKind.ManagedRuleGroup) { }
    }

    /// <summary>Your own AWS WAF rule groups by ARN (CloudFront scope when -ResourceType names CloudFront).</summary>
    public sealed class FmsWafRuleGroupArnCompleter : FmsArgumentCompleter
    {
        public FmsWafRuleGroupArnCompleter() : base(FmsCompletionKind.WafRuleGroupArn) { }
    }

    /// <summary>The -Vendor's firewall policies (both vendors' without -Vendor).</summary>
    public sealed class FmsThirdPartyFirewallPolicyCompleter : FmsArgumentCompleter
    {
        public FmsThirdPartyFirewallPolicyCompleter() : base(FmsCompletionKind.ThirdPartyFirewallPolicy) { }
    }

    /// <summary>
    /// Apps or protocols list names (default lists with -Default) for the list cmdlets: the command's noun
    /// (FmsAppsList, FmsProtocolsList) says which kind.
    /// </summary>
    public sealed class FmsListNameCompleter : FmsArgumentCompleter
    {
        public FmsListNameCompleter() : base(FmsCompletionKind.AppsListName) { }

        protected override FmsCompletionKind KindFor(string? cmdletName)
            => IsProtocolsList(cmdletName) ? FmsCompletionKind.ProtocolsListName : FmsCompletionKind.AppsListName;
    }

    /// <summary>Apps or protocols list ids, listed with their names; the kind comes from the command's noun.</summary>
    public sealed class FmsListIdCompleter : FmsArgumentCompleter
    {
        public FmsListIdCompleter() : base(FmsCompletionKind.AppsListId) { }

        protected override FmsCompletionKind KindFor(string? cmdletName)
            => IsProtocolsList(cmdletName) ? FmsCompletionKind.ProtocolsListId : FmsCompletionKind.AppsListId;
    }

    /// <summary>Resource set names.</summary>
    public sealed class FmsResourceSetNameCompleter : FmsArgumentCompleter
    {
        public FmsResourceSetNameCompleter() : base(FmsCompletionKind.ResourceSetName) { }
    }

    /// <summary>Resource set ids, listed with their names.</summary>
    public sealed class FmsResourceSetIdCompleter : FmsArgumentCompleter
    {
        public FmsResourceSetIdCompleter() : base(FmsCompletionKind.ResourceSetId) { }
    }

    /// <summary>
    /// Resource ARNs for -Uri: Remove-FmsResourceSetResource offers the -ResourceSetId's members; Add-FmsResourceSetResource
    /// the resources of the set's types that are not in it yet.
    /// </summary>
    public sealed class FmsResourceSetUriCompleter : FmsArgumentCompleter
    {
        public FmsResourceSetUriCompleter() : base(FmsCompletionKind.ResourceSetUri) { }
    }

    /// <summary>ARNs of policies, apps lists, protocols lists and resource sets, listed with their names.</summary>
    public sealed class FmsTaggableResourceArnCompleter : FmsArgumentCompleter
    {
        public FmsTaggableResourceArnCompleter() : base(FmsCompletionKind.TaggableResourceArn) { }
    }

    /// <summary>Tag keys of the -ResourceArn already typed.</summary>
    public sealed class FmsTagKeyCompleter : FmsArgumentCompleter
    {
        public FmsTagKeyCompleter() : base(FmsCompletionKind.TagKey) { }
    }

    /// <summary>Resource types the command's policy type (or the -PolicyId's) may scope to.</summary>
    public sealed class FmsPolicyResourceTypeCompleter : FmsArgumentCompleter
    {
        public FmsPolicyResourceTypeCompleter() : base(FmsCompletionKind.PolicyResourceType) { }
    }

    /// <summary>Resource types a resource set can hold.</summary>
    public sealed class FmsResourceSetResourceTypeCompleter : FmsArgumentCompleter
    {
        public FmsResourceSetResourceTypeCompleter() : base(FmsCompletionKind.ResourceSetResourceType) { }
    }

    /// <summary>Policy types by their service names (WAFV2, SHIELD_ADVANCED, ...).</summary>
    public sealed class FmsPolicyTypeCompleter : FmsArgumentCompleter
    {
        public FmsPolicyTypeCompleter() : base(FmsCompletionKind.PolicyType) { }
    }

    /// <summary>FMS violation reason codes, described in the tooltip.</summary>
    public sealed class FmsViolationReasonCompleter : FmsArgumentCompleter
    {
        public FmsViolationReasonCompleter() : base(FmsCompletionKind.ViolationReason) { }
    }

    /// <summary>Network Firewall stateless default actions.</summary>
    public sealed class FmsStatelessActionCompleter : FmsArgumentCompleter
    {
        public FmsStatelessActionCompleter() : base(FmsCompletionKind.StatelessAction) { }
    }

    /// <summary>Network Firewall strict-order stateful default actions.</summary>
    public sealed class FmsStatefulDefaultActionCompleter : FmsArgumentCompleter
    {
        public FmsStatefulDefaultActionCompleter() : base(FmsCompletionKind.StatefulDefaultAction) { }
    }

    /// <summary>Protocols for a protocols list.</summary>
    public sealed class FmsProtocolCompleter : FmsArgumentCompleter
    {
        public FmsProtocolCompleter() : base(FmsCompletionKind.Protocol) { }
    }

    /// <summary>Roles remediation usually assumes in member accounts.</summary>
    public sealed class FmsMemberAccountRoleNameCompleter : FmsArgumentCompleter
    {
        public FmsMemberAccountRoleNameCompleter() : base(FmsCompletionKind.MemberAccountRoleName) { }
    }

    /// <summary>AWS credential profiles (the -ProfileLocation file's, else the shared files' and the SDK store's).</summary>
    public sealed class FmsProfileNameCompleter : FmsArgumentCompleter
    {
        public FmsProfileNameCompleter() : base(FmsCompletionKind.ProfileName) { }
    }

    /// <summary>Endpoints of the sandboxes running in this PowerShell process.</summary>
    public sealed class FmsSandboxEndpointCompleter : FmsArgumentCompleter
    {
        public FmsSandboxEndpointCompleter() : base(FmsCompletionKind.SandboxEndpoint) { }
    }

    /// <summary>Operations in the sandbox's request log.</summary>
    public sealed class FmsSandboxOperationCompleter : FmsArgumentCompleter
    {
        public FmsSandboxOperationCompleter() : base(FmsCompletionKind.SandboxOperation) { }
    }

    /// <summary>Policy ids recorded in the change journal, deleted policies included.</summary>
    public sealed class FmsJournalPolicyIdCompleter : FmsArgumentCompleter
    {
        public FmsJournalPolicyIdCompleter() : base(FmsCompletionKind.JournalPolicyId) { }
    }

    /// <summary>Policy names recorded in the change journal.</summary>
    public sealed class FmsJournalPolicyNameCompleter : FmsArgumentCompleter
    {
        public FmsJournalPolicyNameCompleter() : base(FmsCompletionKind.JournalPolicyName) { }
    }

    /// <summary>Caller ARNs recorded in the change journal.</summary>
    public sealed class FmsJournalCallerCompleter : FmsArgumentCompleter
    {
        public FmsJournalCallerCompleter() : base(FmsCompletionKind.JournalCaller) { }
    }

    /// <summary>Ids of every changed object recorded in the change journal, listed with their names.</summary>
    public sealed class FmsJournalTargetCompleter : FmsArgumentCompleter
    {
        public FmsJournalTargetCompleter() : base(FmsCompletionKind.JournalTarget) { }
    }

    /// <summary>Policy ids with a recorded version to restore.</summary>
    public sealed class FmsRestorablePolicyIdCompleter : FmsArgumentCompleter
    {
        public FmsRestorablePolicyIdCompleter() : base(FmsCompletionKind.RestorablePolicyId) { }
    }

    /// <summary>The -PolicyId's recorded versions, newest first.</summary>
    public sealed class FmsRestoreVersionCompleter : FmsArgumentCompleter
    {
        public FmsRestoreVersionCompleter() : base(FmsCompletionKind.RestoreVersion) { }
    }
}
