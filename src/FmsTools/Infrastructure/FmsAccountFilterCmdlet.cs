namespace FmsTools.Infrastructure
{
    /// <summary>
    /// Base of the compliance cmdlets whose rows can be kept to some member accounts with -AccountId (in every parameter
    /// set): Get-FmsComplianceStatus, Get-FmsComplianceReport, Watch-FmsCompliance, Test- and Assert-FmsCompliance.
    /// </summary>
    public abstract class FmsAccountFilterCmdlet : FmsComplianceCmdlet
    {
        /// <summary>Only these member accounts.</summary>
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyAccountIdCompleter))]
        public string[]? AccountId { get; set; }

        /// <summary>-AccountId as a set, or null (every account) when none is given.</summary>
        protected HashSet<string>? Accounts => AccountId == null || AccountId.Length == 0 ? null : new HashSet<string>(AccountId);
    }
}
