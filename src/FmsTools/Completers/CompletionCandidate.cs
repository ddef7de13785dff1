namespace FmsTools.Completers
{
    /// <summary>What a completer offers for one value: the text inserted, the text listed, and a tooltip.</summary>
    public sealed class CompletionCandidate
    {
        public CompletionCandidate(string completionText, string listItemText, string toolTip)
        {
            CompletionText = completionText;
            ListItemText = listItemText;
            ToolTip = toolTip;
        }

        /// <summary>Inserted at the cursor; quoted when the value needs quotes on a command line.</summary>
        public string CompletionText { get; }

        /// <summary>Shown in the menu (Ctrl+Space).</summary>
        public string ListItemText { get; }

        public string ToolTip { get; }

        public override string ToString() => CompletionText;
    }

    /// <summary>The kinds of values FmsTools completes.</summary>
    public enum FmsCompletionKind
    {
        // ---- live objects of the connection -------------------------------------------------------------------------
        PolicyName,
        PolicyId,

        /// <summary>Accounts of the organization (or, without Organizations access, the administrator's member accounts).</summary>
        AccountId,
        OrganizationalUnitId,
        ManagedRuleGroup,

        /// <summary>Account ids narrowed to the accounts in scope of the -PolicyId/-PolicyName already on the command line.</summary>
        PolicyAccountId,

        /// <summary>Firewall Manager administrator accounts.</summary>
        AdminAccountId,
        AppsListName,
        AppsListId,
        ProtocolsListName,
        ProtocolsListId,
        ResourceSetName,
        ResourceSetId,

        /// <summary>
        /// -Uri of the resource set commands: the members of the -ResourceSetId's set (Remove-FmsResourceSetResource), or
        /// resources FMS discovers for the set's resource types that are not in it yet (Add-FmsResourceSetResource).
        /// </summary>
        ResourceSetUri,

        /// <summary>ARNs of what FMS can tag: policies, apps lists, protocols lists and resource sets.</summary>
        TaggableResourceArn,

        /// <summary>Tag keys of the -ResourceArn already on the command line.</summary>
        TagKey,

        /// <summary>Your own AWS WAF rule groups, by ARN.</summary>
        WafRuleGroupArn,

        /// <summary>The third-party vendor's firewall policies (ListThirdPartyFirewallFirewallPolicies).</summary>
        ThirdPartyFirewallPolicy,

        // ---- known value sets -------------------------------------------------------------------------------------
        Region,

        /// <summary>Resource types the policy type of the command (or of -PolicyId) may scope to.</summary>
        PolicyResourceType,
        ResourceSetResourceType,

        /// <summary>Policy types as the service names them (WAFV2, SHIELD_ADVANCED, ...).</summary>
        PolicyType,
        ViolationReason,
        StatelessAction,
        StatefulDefaultAction,
        Protocol,
        MemberAccountRoleName,

        /// <summary>Credential profiles in the AWS shared files (or -ProfileLocation) and the .NET SDK store.</summary>
        ProfileName,

        // ---- local objects ------------------------------------------------------------------------------------------
        /// <summary>Endpoints of the sandboxes running in this process.</summary>
        SandboxEndpoint,

        /// <summary>Operations in the request log of the sandbox (-Sandbox, else the latest one).</summary>
        SandboxOperation,

        /// <summary>Policy ids recorded in the change journal (-JournalPath, else the default journal).</summary>
        JournalPolicyId,
        JournalPolicyName,
        JournalCaller,
        JournalTarget,

        /// <summary>Policy ids with at least one recorded version, deleted policies included.</summary>
        RestorablePolicyId,

        /// <summary>Recorded versions of the -PolicyId already on the command line.</summary>
        RestoreVersion,
    }

    /// <summary>What the completer knows about the command being completed, beyond its parameters.</summary>
    internal sealed class CompletionRequest
    {
        /// <summary>The cmdlet's name (aliases and module qualifiers resolved), e.g. New-FmsWafPolicy.</summary>
        public string? CommandName { get; set; }

        /// <summary>Turns a PowerShell path (relative to the current location, ~, PSDrives) into a file system path.</summary>
        public Func<string, string?>? ResolvePath { get; set; }
    }
}
