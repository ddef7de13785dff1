using System.Collections;
using FmsTools.Completers;

namespace FmsTools.Infrastructure
{
    /// <summary>
    /// The scope and common-setting parameters that the New-Fms*Policy builders and Set-FmsPolicy share, declared once.
    /// A builder applies them to a new policy; Set-FmsPolicy to the deployed one, where a parameter that is not given
    /// leaves the field as it is. Checking the values is the validator's job (one set of rules for every path); only the form of
    /// the ids is also checked when PowerShell binds them, so a typo fails before anything is built or read.
    /// </summary>
    public abstract class FmsPolicyScopeCmdlet : FmsConnectedCmdlet
    {
        /// <summary>Accounts in scope (IncludeMap ACCOUNT). With any include list FMS ignores the exclude lists.</summary>
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter]
        [ArgumentCompleter(typeof(FmsAccountIdCompleter))]
        public string[]? IncludeAccount { get; set; }

        /// <summary>OUs (or the root) in scope, with their child OUs and accounts added later.</summary>
        [ValidateFmsId(IdentifierKind.OrganizationalUnitOrRootId)]
        [Parameter]
        [Alias("IncludeOU")]
        [ArgumentCompleter(typeof(FmsOrganizationalUnitCompleter))]
        public string[]? IncludeOrganizationalUnit { get; set; }

        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter]
        [ArgumentCompleter(typeof(FmsAccountIdCompleter))]
        public string[]? ExcludeAccount { get; set; }

        [ValidateFmsId(IdentifierKind.OrganizationalUnitOrRootId)]
        [Parameter]
        [Alias("ExcludeOU")]
        [ArgumentCompleter(typeof(FmsOrganizationalUnitCompleter))]
        public string[]? ExcludeOrganizationalUnit { get; set; }

        /// <summary>Resource tags that scope the policy: @{ env = 'prod' }; a $null value matches only an empty value; @{} removes them.</summary>
        [Parameter]
        public Hashtable? ResourceTag { get; set; }

        /// <summary>Resources with the -ResourceTag tags are excluded instead of included.</summary>
        [Parameter]
        public SwitchParameter ExcludeResourceTag { get; set; }

        /// <summary>Resource types in scope, e.g. AWS::ElasticLoadBalancingV2::LoadBalancer.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsPolicyResourceTypeCompleter))]
        public string[]? ResourceType { get; set; }

        [ValidateFmsId(IdentifierKind.ResourceSetId)]
        [Parameter]
        [ArgumentCompleter(typeof(FmsResourceSetIdCompleter))]
        public string[]? ResourceSetId { get; set; }

        /// <summary>Automatic remediation: FMS fixes non-compliant resources instead of only reporting them (-RemediationEnabled:$false turns it off).</summary>
        [Parameter]
        public SwitchParameter RemediationEnabled { get; set; }

        [Parameter]
        public SwitchParameter DeleteUnusedFMManagedResources { get; set; }

        [Parameter]
        public string? Description { get; set; }

        /// <summary>Tags on the policy itself; @{} removes them all.</summary>
        [Parameter]
        public Hashtable? Tag { get; set; }

        /// <summary>A switch as a tri-state: null when it was not given, else its value (-RemediationEnabled:$false is false).</summary>
        private bool? Given(string name, SwitchParameter value) => MyInvocation.BoundParameters.ContainsKey(name) ? value.IsPresent : (bool?)null;

        /// <summary>Puts every given parameter of this class except -ResourceType (whose default differs) on the policy.</summary>
        protected void ApplyScopeParameters(FmsPolicy policy)
        {
            if (Description != null) policy.Description = Description.Length == 0 ? null : Description;
            if (Given(nameof(RemediationEnabled), RemediationEnabled) is bool remediation) policy.RemediationEnabled = remediation;
            if (Given(nameof(DeleteUnusedFMManagedResources), DeleteUnusedFMManagedResources) is bool deleteUnused) policy.DeleteUnusedFMManagedResources = deleteUnused;
            var scope = policy.Scope ??= new PolicyScope();
            if (IncludeAccount != null) scope.IncludeAccounts = List(IncludeAccount);
            if (IncludeOrganizationalUnit != null) scope.IncludeOrganizationalUnits = List(IncludeOrganizationalUnit);
            if (ExcludeAccount != null) scope.ExcludeAccounts = List(ExcludeAccount);
            if (ExcludeOrganizationalUnit != null) scope.ExcludeOrganizationalUnits = List(ExcludeOrganizationalUnit);
            if (ResourceTag != null) scope.ResourceTags = PolicyParameterConverter.ResourceTags(ResourceTag);
            if (Given(nameof(ExcludeResourceTag), ExcludeResourceTag) is bool exclude) scope.ExcludeResourceTags = exclude;
            if (ResourceSetId != null) scope.ResourceSetIds = List(ResourceSetId);
            if (Tag != null) policy.Tags = PolicyParameterConverter.PolicyTags(Tag);
        }

        private static List<string> List(string[] values) => values.Where(v => v != null).ToList();
    }
}
